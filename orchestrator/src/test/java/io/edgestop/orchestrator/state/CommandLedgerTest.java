package io.edgestop.orchestrator.state;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.CommandLedgerEntry;
import io.edgestop.schema.StopCommand;

class CommandLedgerTest {

    static final long WINDOW = 900_000;
    static final long T = 10 * WINDOW;
    KeyValueStore<String, CommandLedgerEntry> store;
    CommandLedger ledger;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CommandLedger.STORE), Serdes.String(), CommandLedger.serde())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<Object, Object>().getStateStoreContext(), store);
        ledger = new CommandLedger(store, WINDOW, WINDOW / 10, 0);
    }

    static StopCommand command(String account, String accessKey, String nonce, String requestId) {
        return StopCommand.newBuilder().setRequestId(requestId).setAccountId(account).setAccessKeyId(accessKey)
                .setSignatureNonce(nonce).setClusterId("c").setJobId("j").build();
    }

    @Test
    void aNonceIsUsedWithinTwoWindowsOnEitherSideAndFreeAfterThem() {
        StopCommand first = command("a", "AK1", "n1", "r1");
        assertFalse(ledger.nonceUsed(first, T));
        assertFalse(ledger.nonceUsed(first, T), "the check alone records nothing");
        ledger.recordNonce(first, T); // rejected before the quota: its nonce is spent all the same
        assertTrue(ledger.nonceUsed(command("a", "AK1", "n1", "r2"), T + WINDOW));
        // a request signed one window ahead of its first arrival is accepted again by an adapter until two
        // windows after that arrival: its replay is caught that far
        assertTrue(ledger.nonceUsed(command("a", "AK1", "n1", "r2b"), T + 2 * WINDOW));
        assertTrue(ledger.nonceUsed(command("a", "AK1", "n1", "r3"), T - 2 * WINDOW), "a late duplicate is caught too");
        assertFalse(ledger.nonceUsed(command("a", "AK2", "n1", "r4"), T), "nonces are per AccessKeyId");
        assertFalse(ledger.nonceUsed(command("a", "AK1", "n1", "r5"), T + 2 * WINDOW + 1), "free again after two windows");
        assertFalse(ledger.nonceUsed(command("a", "AK1", null, "r6"), T), "no nonce, nothing to reuse");
    }

    @Test
    void oneEntryPerCommandServesBothTheNonceAndTheQuota() {
        StopCommand withNonce = command("a", "AK1", "n1", "r1");
        assertFalse(ledger.nonceUsed(withNonce, T));
        assertTrue(ledger.acquire(withNonce, T, 2).accepted());
        assertTrue(ledger.acquire(command("a", "AK1", null, "r2"), T + 1, 2).accepted());
        assertEquals(2, store.approximateNumEntries());
        assertFalse(ledger.acquire(command("a", "AK1", null, "r3"), T + 2, 2).accepted(), "third call in the minute");
        assertEquals(2, store.approximateNumEntries(), "a throttled call without a nonce leaves nothing");
    }

    @Test
    void aThrottledCallSpendsItsNonceButIsNotCounted() {
        assertTrue(ledger.acquire(command("a", "AK1", null, "r1"), T, 1).accepted());
        StopCommand throttled = command("a", "AK1", "n2", "r2");
        assertFalse(ledger.nonceUsed(throttled, T + 1));
        assertFalse(ledger.acquire(throttled, T + 1, 1).accepted());
        assertTrue(ledger.nonceUsed(command("a", "AK1", "n2", "r3"), T + 2), "its nonce is spent");
        CommandLedger restarted = new CommandLedger(store, WINDOW, WINDOW / 10, 0);
        assertEquals(1, restarted.acquire(command("b", "AK1", null, "r4"), T + 3, 5).count(), "other accounts untouched");
        assertEquals(2, restarted.acquire(command("a", "AK1", null, "r5"), T + 3, 5).count(), "only the call that passed was counted");
    }

    @Test
    void aRestartedTaskRebuildsTheQuotaFromTheStore() {
        for (int i = 0; i < 3; i++) {
            StopCommand c = command("a", "AK1", i % 2 == 0 ? "n" + i : null, "r" + i);
            assertFalse(ledger.nonceUsed(c, T + i));
            assertTrue(ledger.acquire(c, T + i, 4).accepted());
        }
        CommandLedger restarted = new CommandLedger(store, WINDOW, WINDOW / 10, 0); // nothing in memory
        assertEquals(4, restarted.acquire(command("a", "AK1", null, "r3"), T + 10, 4).count());
        assertFalse(restarted.acquire(command("a", "AK1", null, "r4"), T + 11, 4).accepted());
        assertTrue(restarted.acquire(command("b", "AK9", null, "r5"), T + 11, 4).accepted(), "other accounts untouched");
    }

    @Test
    void theSweepForgetsEntriesPastTheirTimeSliceBySlice() {
        for (int i = 0; i < 2500; i++) {
            ledger.recordNonce(command("a", "AK", "old-" + i, "r" + i), T);
        }
        ledger.acquire(command("b", "AK", null, "q"), T, 10);
        ledger.recordNonce(command("a", "AK", "recent", "r"), T + 3 * WINDOW);
        long now = T + 3 * WINDOW + 1;
        ledger.sweep(now);
        long afterOne = store.approximateNumEntries();
        assertTrue(afterOne < 2502 && afterOne > 1, "one slice at a time: " + afterOne);
        ledger.sweep(now);
        ledger.sweep(now);
        assertEquals(1, store.approximateNumEntries(), "a whole pass removed every expired entry");
        ledger.sweep(now); // wraps around to the first key again
        assertEquals(1, store.approximateNumEntries());
    }

    @Test
    void eachTaskSweepsOncePerIntervalAtItsOwnTurn() {
        long interval = WINDOW / 10;
        CommandLedger first = new CommandLedger(store, WINDOW, interval, 0);
        CommandLedger third = new CommandLedger(store, WINDOW, interval, 2 + CommandLedger.TURNS);
        long turn = first.turnMs();
        assertEquals(interval / CommandLedger.TURNS, turn);
        List<Long> firstSweeps = new ArrayList<>();
        List<Long> thirdSweeps = new ArrayList<>();
        for (long t = T; t < T + 3 * interval; t += turn) { // T is a multiple of the interval
            if (first.tick(t)) {
                firstSweeps.add(t - T);
            }
            if (third.tick(t)) {
                thirdSweeps.add(t - T);
            }
        }
        assertEquals(List.of(interval, 2 * interval), firstSweeps, "the first tick after a start only finds the next turn");
        assertEquals(List.of(2 * turn, interval + 2 * turn, 2 * interval + 2 * turn), thirdSweeps, "partition 14: the third turn");
        long jump = T + 10 * interval + turn / 2;
        assertTrue(first.tick(jump), "stream time jumped past several turns: one sweep");
        assertFalse(first.tick(jump + turn), "then the next turn of the next interval");
        assertTrue(first.tick(T + 11 * interval));
    }

    @Test
    void theStoreFormatRoundTripsAndStillReadsThePreviousOne() {
        Serde<CommandLedgerEntry> serde = CommandLedger.serde();
        CommandLedgerEntry e = new CommandLedgerEntry(Instant.ofEpochMilli(T), true, true);
        byte[] bytes = serde.serializer().serialize(CommandLedger.STORE, e);
        assertEquals((byte) 0xC3, bytes[0], "Avro single-object encoded");
        assertEquals(e, serde.deserializer().deserialize(CommandLedger.STORE, bytes));

        // before CommandLedgerEntry: event time * 4 + 1 (counted) + 2 (nonce), as a big-endian long
        byte[] counted = ByteBuffer.allocate(Long.BYTES).putLong(T * 4 + 1).array();
        byte[] nonceOnly = ByteBuffer.allocate(Long.BYTES).putLong(T * 4 + 2).array();
        assertEquals(new CommandLedgerEntry(Instant.ofEpochMilli(T), true, false),
                serde.deserializer().deserialize(CommandLedger.STORE, counted));
        assertEquals(new CommandLedgerEntry(Instant.ofEpochMilli(T), false, true),
                serde.deserializer().deserialize(CommandLedger.STORE, nonceOnly));
    }

    /** The key layout is a format too: entries under the documented keys, as an earlier build wrote them, still count. */
    @Test
    void entriesUnderTheDocumentedKeysAreFoundAfterARestart() {
        Serde<CommandLedgerEntry> serde = CommandLedger.serde();
        // accountId \n accessKeyId \n nonce, and accountId \n \u0001 requestId, valued in the first builds' 8-byte format
        store.put("a\nAK1\nn1", serde.deserializer().deserialize(CommandLedger.STORE,
                ByteBuffer.allocate(Long.BYTES).putLong(T * 4 + 1 + 2).array()));
        store.put("a\n\u0001r0", serde.deserializer().deserialize(CommandLedger.STORE,
                ByteBuffer.allocate(Long.BYTES).putLong((T + 1) * 4 + 1).array()));
        CommandLedger restarted = new CommandLedger(store, WINDOW, WINDOW / 10, 0);
        assertTrue(restarted.nonceUsed(command("a", "AK1", "n1", "r2"), T + 5), "the nonce entry is found by its key");
        assertEquals(3, restarted.acquire(command("a", "AK1", null, "r3"), T + 10, 3).count(), "both entries counted");
        assertFalse(restarted.acquire(command("a", "AK1", null, "r4"), T + 11, 3).accepted());
    }
}
