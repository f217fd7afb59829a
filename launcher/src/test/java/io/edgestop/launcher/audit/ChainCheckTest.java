package io.edgestop.launcher.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.AuditChain;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.serde.AvroSerdes;

/** Each kind of alteration of a chain is found at the record where it shows, by the check it fails. */
class ChainCheckTest {

    private static final AvroSerde SERDE = new AvroSerde();

    @Test
    void anUntouchedChainHolds() {
        ChainCheck c = check(chain(0, 5));
        assertEquals(List.of(), c.breaks());
        assertEquals(5, c.linked());
        assertEquals(5, c.heads().get(0).sequence());
    }

    @Test
    void aModifiedRecordFailsItsHashAndLeavesAGap() {
        List<AuditReader.Entry> entries = chain(0, 5);
        AuditRecord modified = SERDE.decode(entries.get(2));
        modified.setOutcome(Outcome.REJECTED);
        entries.set(2, entry(0, 2, modified));
        assertEquals(List.of("2 HASH", "3 GAP"), breaks(check(entries)));
    }

    @Test
    void aDeletedRecordLeavesAGap() {
        List<AuditReader.Entry> entries = chain(0, 5);
        entries.remove(2);
        assertEquals(List.of("3 GAP"), breaks(check(entries)));
        assertTrue(check(entries).breaks().get(0).detail().contains("positions 3 missing"), check(entries).breaks().toString());
    }

    @Test
    void twoSwappedRecordsAreAGapThenAPositionOutOfOrder() {
        List<AuditReader.Entry> entries = chain(0, 5);
        AuditReader.Entry two = entries.get(1);
        entries.set(1, entry(0, 1, entries.get(2).record()));
        entries.set(2, entry(0, 2, two.record()));
        assertEquals(List.of("1 GAP", "2 ORDER"), breaks(check(entries)));
    }

    @Test
    void aCopyOfAnEarlierRecordIsARepeatedPositionAndAnUnchainedOneAnInsertion() {
        List<AuditReader.Entry> entries = chain(0, 3);
        entries.add(new AuditReader.Entry(0, 3, 0, "a", entries.get(1).value(), entries.get(1).record()));
        AuditRecord unchained = AuditRecord.newBuilder(SERDE.decode(entries.get(0))).setChain(null).setChainSequence(null)
                .setPreviousHash(null).setRecordHash(null).build();
        entries.add(entry(0, 4, unchained));
        assertEquals(List.of("3 ORDER", "4 UNCHAINED"), breaks(check(entries)));
    }

    @Test
    void recordsFromBeforeTheChainAreCountedNotBroken() {
        List<AuditReader.Entry> entries = new ArrayList<>();
        entries.add(entry(0, 0, record("OLD").build()));
        for (AuditReader.Entry e : chain(0, 2)) {
            entries.add(new AuditReader.Entry(0, e.offset() + 1, 0, "a", e.value(), e.record()));
        }
        ChainCheck c = check(entries);
        assertEquals(List.of(), c.breaks());
        assertEquals(1, c.preChain());
        assertEquals(2, c.linked());
    }

    @Test
    void aPartitionWhoseStartWasDeletedStartsWhereItIs() {
        List<AuditReader.Entry> entries = chain(0, 4).subList(2, 4);
        assertEquals(List.of("2 START"), breaks(check(entries)));
        ChainCheck fromOffset2 = new ChainCheck(Map.of(0, 2L));
        entries.forEach(fromOffset2::accept);
        assertEquals(List.of(), fromOffset2.breaks());
    }

    // ---- helpers

    /** {@code n} records of one chain on partition {@code partition}, offsets 0.., as the orchestrator writes them. */
    static List<AuditReader.Entry> chain(int partition, int n) {
        List<AuditReader.Entry> out = new ArrayList<>();
        byte[] previous = AuditChain.GENESIS;
        for (int i = 0; i < n; i++) {
            AuditRecord r = record("R" + i).setChain(partition).setChainSequence(i + 1L).setPreviousHash(ByteBuffer.wrap(previous))
                    .build();
            previous = AuditChain.hashOfWritten(SERDE.bytes(r));
            r.setRecordHash(ByteBuffer.wrap(previous));
            out.add(entry(partition, i, r));
        }
        return out;
    }

    private static AuditRecord.Builder record(String requestId) {
        return AuditFormatTest.decision(requestId, Outcome.ACCEPTED, null, null);
    }

    private static AuditReader.Entry entry(int partition, long offset, AuditRecord r) {
        return new AuditReader.Entry(partition, offset, 0, "a", SERDE.bytes(r), r);
    }

    private static ChainCheck check(List<AuditReader.Entry> entries) {
        ChainCheck c = new ChainCheck(Map.of());
        entries.forEach(c::accept);
        return c;
    }

    private static List<String> breaks(ChainCheck c) {
        return c.breaks().stream().map(b -> b.offset() + " " + b.check()).toList();
    }

    private static final class AvroSerde {
        private final io.edgestop.schema.serde.AvroSerde<AuditRecord> serde = AvroSerdes.auditRecord();

        byte[] bytes(AuditRecord r) {
            return serde.serialize("audit", r);
        }

        AuditRecord decode(AuditReader.Entry e) {
            return serde.deserialize("audit", e.value());
        }
    }
}
