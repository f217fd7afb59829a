package io.edgestop.devtools.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.topology.AuditChain;
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

    @Test
    void aWindowWithoutItsBeginningHoldsFromATrustedCheckpoint() {
        List<AuditReader.Entry> all = chain(0, 8);
        ChainCheck window = anchored(all.subList(4, 8), Map.of(0, 4L), checkpointAt(all, 4, 0), List.of(checkpointAt(all, 6, 4)));
        assertEquals(List.of(), window.breaks());
        assertEquals(4, window.linked());
        assertEquals(6, window.confirmed().get(0).value().getSequence());

        // the records before the anchor, when retained, are left out; the anchor's own must be the one it signed
        ChainCheck whole = anchored(all, Map.of(), checkpointAt(all, 4, 0), List.of(checkpointAt(all, 1, 0), checkpointAt(all, 6, 4)));
        assertEquals(List.of(), whole.breaks());
        assertEquals(3, whole.beforeAnchors());
        assertEquals(5, whole.linked());
    }

    @Test
    void aRecordDeletedAfterTheAnchorIsAGapEvenAtTheStartOfTheWindow() {
        List<AuditReader.Entry> all = chain(0, 8);
        // the retained window starts one record too late: without the anchor it would anchor itself
        ChainCheck c = anchored(all.subList(5, 8), Map.of(0, 5L), checkpointAt(all, 4, 0), List.of());
        assertEquals(List.of("5 GAP"), breaks(c));
        assertTrue(c.breaks().get(0).detail().contains("positions 5 missing"), c.breaks().toString());
    }

    @Test
    void aRecordModifiedAfterTheAnchorFailsItsHash() {
        List<AuditReader.Entry> all = chain(0, 8);
        List<AuditReader.Entry> window = new ArrayList<>(all.subList(4, 8));
        AuditRecord modified = SERDE.decode(window.get(1));
        modified.setMessage("altered");
        window.set(1, entry(0, 5, modified));
        assertEquals(List.of("5 HASH", "6 GAP"), breaks(anchored(window, Map.of(0, 4L), checkpointAt(all, 4, 0), List.of())));
    }

    @Test
    void aStreamThatIsNotTheOneVerifiedBeforeFailsAtTheAnchor() {
        List<AuditReader.Entry> all = chain(0, 8);
        io.edgestop.schema.AuditCheckpoint foreign = checkpointAt(all, 4, 0);
        foreign.setHeadHash(ByteBuffer.wrap(new byte[32]));
        ChainCheck c = anchored(all.subList(3, 8), Map.of(0, 3L), foreign, List.of());
        assertEquals(List.of("3 ANCHOR", "4 LINK"), breaks(c));
    }

    @Test
    void theFirstCheckpointAfterTheAnchorDeletedIsMissingAtTheNext() {
        List<AuditReader.Entry> all = chain(0, 8);
        ChainCheck c = new ChainCheck(Map.of(0, 4L));
        c.anchor(List.of(checkpointAt(all, 4, 0)));
        // the checkpoint at position 5 (previous 4) is gone; the one at 7 names it
        c.checkpoints(List.of(new ChainCheck.Checkpoint(0, 9, checkpointAt(all, 7, 5))), List.of());
        all.subList(4, 8).forEach(c::accept);
        c.finish();
        assertEquals(List.of("9 CHECKPOINT_MISSING"), breaks(c));
    }

    // ---- helpers

    /** The signed statement of {@code entries}' record at {@code position} (signature not checked: no key given). */
    static io.edgestop.schema.AuditCheckpoint checkpointAt(List<AuditReader.Entry> entries, long position, long previous) {
        AuditRecord r = entries.get((int) position - 1).record();
        return io.edgestop.schema.AuditCheckpoint.newBuilder().setChain(r.getChain()).setSequence(position)
                .setHeadHash(r.getRecordHash()).setPreviousSequence(previous).setEventTime(java.time.Instant.ofEpochMilli(position))
                .setKeyId("k").setSignature(null).build();
    }

    private static ChainCheck anchored(List<AuditReader.Entry> entries, Map<Integer, Long> beginning,
                                       io.edgestop.schema.AuditCheckpoint anchor, List<io.edgestop.schema.AuditCheckpoint> checkpoints) {
        ChainCheck c = new ChainCheck(beginning);
        c.anchor(List.of(anchor));
        List<ChainCheck.Checkpoint> read = new ArrayList<>();
        for (int i = 0; i < checkpoints.size(); i++) {
            read.add(new ChainCheck.Checkpoint(0, i, checkpoints.get(i)));
        }
        c.checkpoints(read, List.of());
        entries.forEach(c::accept);
        c.finish();
        return c;
    }

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
