package io.edgestop.orchestrator;

import static org.junit.jupiter.api.Assertions.*;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NonceLedgerTest {

    static final long WINDOW = 900_000;
    KeyValueStore<String, Long> store;
    NonceLedger ledger;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(NonceLedger.STORE), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        MockProcessorContext<String, Emit> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        ledger = new NonceLedger(store, WINDOW, WINDOW / 10);
    }

    @Test
    void aNonceIsUsedWithinTheWindowOnEitherSideAndFreeAfterIt() {
        String n = NonceLedger.key("AK1", "n1");
        assertFalse(ledger.usedBefore(n, 1_000_000));
        assertTrue(ledger.usedBefore(n, 1_000_000 + WINDOW));
        assertTrue(ledger.usedBefore(n, 1_000_000 - WINDOW), "a late duplicate is caught too");
        assertFalse(ledger.usedBefore(NonceLedger.key("AK2", "n1"), 1_000_000), "nonces are per AccessKeyId");
        assertFalse(ledger.usedBefore(n, 1_000_000 + WINDOW + 1), "free again after the window");
    }

    @Test
    void theSweepForgetsNoncesOlderThanTwoWindowsSliceBySlice() {
        long t = 10 * WINDOW;
        for (int i = 0; i < 2500; i++) {
            ledger.usedBefore(NonceLedger.key("AK", "old-" + i), t);
        }
        ledger.usedBefore(NonceLedger.key("AK", "recent"), t + 2 * WINDOW);
        long now = t + 2 * WINDOW + 1;
        ledger.sweep(now);
        long afterOne = store.approximateNumEntries();
        assertTrue(afterOne < 2501 && afterOne > 1, "one slice at a time: " + afterOne);
        ledger.sweep(now);
        ledger.sweep(now);
        assertEquals(1, store.approximateNumEntries(), "a whole pass removed every expired nonce");
        assertNotNull(store.get(NonceLedger.key("AK", "recent")));
        ledger.sweep(now); // wraps around to the first key again
        assertEquals(1, store.approximateNumEntries());
    }
}
