package io.edgestop.devtools.audit;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.edgestop.orchestrator.topology.AuditChain;
import io.edgestop.orchestrator.topology.CheckpointKey;
import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.AuditRecord;

/**
 * Checks the audit hash chains as the audit stream is read, partition by partition in offset
 * order (docs/audit.md, "The hash chain"): each record's own hash over its canonical encoding,
 * then its position and its link to the previous record of its chain. A deletion shows as a gap,
 * an insertion or a forged record as a hash that is not its record's, a position repeated or a
 * record without a chain after the chain began, a reordering as a gap followed by a position out
 * of order. Records of a partition written before the chain existed (schema versions without it)
 * are counted, not broken. Signed checkpoints ({@link #checkpoints}, read first) must verify under
 * the published keys, follow one another, and name records the chain has. A chain can start from
 * a checkpoint the auditor trusts ({@link #anchor}): the records and checkpoints before it are not
 * looked at (retention may have deleted them), everything after it must chain to its head.
 */
public final class ChainCheck {

    /** Which check a record failed. */
    public enum Check {
        UNDECODABLE("the value is not a released AuditRecord version"),
        HASH("its recordHash is not the hash of the record: modified, or written by someone else"),
        UNCHAINED("a record without a chain after the chain began: inserted"),
        START("the chain's first record here is not its first: records before it are missing"),
        GAP("positions are missing before it: deleted (or moved later)"),
        ORDER("a position at or before one already seen: repeated, inserted or moved"),
        LINK("its previousHash is not the hash of the chain's previous record"),
        SIGNATURE("a checkpoint whose signature does not verify under the published key it names"),
        CHECKPOINT("a signed checkpoint names a head the chain does not have: records changed, deleted or added before it"),
        CHECKPOINT_MISSING("a checkpoint of the chain is missing between two others (its previousSequence names none)"),
        ANCHOR("the chain's record at the trusted checkpoint's position is not the one it signed: another stream or history");

        public final String text;

        Check(String text) {
            this.text = text;
        }
    }

    /** A checkpoint where it was read on the checkpoint topic. */
    public record Checkpoint(int partition, long offset, AuditCheckpoint value) {
    }

    /** A record that failed a check, where it is. */
    public record Break(int partition, long offset, String auditId, Check check, String detail) {
    }

    /** The last record of a chain that passed every check, and how many did. */
    public record Head(int partition, int chain, long sequence, long offset, byte[] hash, long records) {
    }

    private final Map<Integer, Long> beginning;
    private final Map<String, Head> heads = new TreeMap<>();
    private final Set<Integer> chained = new HashSet<>();
    private final Map<Integer, Long> preChain = new HashMap<>();
    private final List<Break> breaks = new ArrayList<>();

    /** The signed checkpoints by chain and position; removed once their record is seen. */
    private final Map<String, Checkpoint> pending = new HashMap<>();
    /** The last checkpoint whose record was seen, by chain. */
    private final Map<Integer, Checkpoint> confirmed = new TreeMap<>();
    private long checkpoints;
    /** The last positions' hashes of each chain, for checkpoints read after their record (live). */
    private static final int REMEMBERED = 4096;
    private final Map<Integer, Map<Long, byte[]>> recent = new HashMap<>();
    private int keysGiven;
    /** The trusted checkpoint each anchored chain starts from, by chain. */
    private final Map<Integer, AuditCheckpoint> anchors = new TreeMap<>();
    /** Records of anchored chains before their anchor: not checked again. */
    private long beforeAnchors;

    /** @param beginning the first offset of each audit partition as read (above 0 when its start was deleted) */
    public ChainCheck(Map<Integer, Long> beginning) {
        this.beginning = beginning;
    }

    /**
     * Checkpoints the auditor trusts (one verified before, {@code audit verify --from-checkpoint}), at
     * most one per chain, given before {@link #checkpoints}: each chain starts at its anchor's head. Its
     * records before the anchor and its checkpoints up to it are left out; the record at the anchor's
     * position, when retained, must be the one it signed ({@link Check#ANCHOR}); the first record after
     * it must be the next position and link to its hash, the first checkpoint after it must name it as
     * its previous one.
     */
    public void anchor(java.util.Collection<AuditCheckpoint> trusted) {
        for (AuditCheckpoint a : trusted) {
            anchors.put(a.getChain(), a);
            confirmed.put(a.getChain(), new Checkpoint(-1, -1, a));
        }
    }

    /** The trusted checkpoints the chains started from, by chain. */
    public Map<Integer, AuditCheckpoint> anchors() {
        return anchors;
    }

    /** Records of anchored chains before their anchor, left out. */
    public long beforeAnchors() {
        return beforeAnchors;
    }

    /**
     * The signed checkpoints, before the audit records are read: each signature is checked under the
     * published key it names ({@code keys}; none: signatures are not checked), each chain's
     * checkpoints must follow one another (previousSequence), and each must name a record the chain has.
     */
    public void checkpoints(List<Checkpoint> read, List<PublicKey> keys) {
        keysGiven = keys.size();
        Map<String, PublicKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(CheckpointKey.idOf(k), k));
        Map<Integer, Long> lastByChain = new HashMap<>();
        for (Checkpoint c : read) {
            AuditCheckpoint v = c.value();
            String at = "checkpoint of chain " + v.getChain() + " position " + v.getSequence();
            if (!keys.isEmpty()) {
                PublicKey key = byId.get(v.getKeyId());
                if (key == null || v.getSignature() == null
                        || !CheckpointKey.verify(key, AuditChain.signedBytes(v), AuditChain.bytes(v.getSignature()))) {
                    breaks.add(new Break(c.partition(), c.offset(), null, Check.SIGNATURE, at + (key == null
                            ? ": key " + v.getKeyId() + " is not among the published keys given" : ", key " + v.getKeyId())));
                    continue;
                }
            }
            AuditCheckpoint anchor = anchors.get(v.getChain());
            if (anchor != null && v.getSequence() <= anchor.getSequence()) {
                if (v.getSequence() == anchor.getSequence() && !v.getHeadHash().equals(anchor.getHeadHash())) {
                    breaks.add(new Break(c.partition(), c.offset(), null, Check.ANCHOR, at + " signed another head than the"
                            + " checkpoint started from"));
                }
                continue; // vouched for by the anchor
            }
            checkpoints++;
            // the first one read starts the sequence (the topic may start later), unless the chain starts from an anchor
            Long last = lastByChain.getOrDefault(v.getChain(), anchor == null ? null : anchor.getSequence());
            if (last != null && v.getPreviousSequence() != last) {
                breaks.add(new Break(c.partition(), c.offset(), null, Check.CHECKPOINT_MISSING, at + ": previous checkpoint at position "
                        + v.getPreviousSequence() + ", found " + last));
            }
            lastByChain.put(v.getChain(), v.getSequence());
            pending.put(v.getChain() + "/" + v.getSequence(), c);
        }
    }

    /** Checks the next record of a partition (offset order within each partition). */
    public void accept(AuditReader.Entry e) {
        AuditRecord r = e.record();
        String auditId = r == null ? null : r.getAuditId();
        byte[] computed;
        try {
            computed = r == null ? failUndecodable() : AuditChain.hashOfWritten(e.value());
        } catch (IllegalArgumentException ex) {
            breaks.add(new Break(e.partition(), e.offset(), auditId, Check.UNDECODABLE, ex.getMessage()));
            return;
        }
        if (computed == null || r.getChain() == null) {
            if (chained.contains(e.partition())) {
                breaks.add(new Break(e.partition(), e.offset(), auditId, Check.UNCHAINED, "no chain fields"));
            } else {
                preChain.merge(e.partition(), 1L, Long::sum);
            }
            return;
        }
        chained.add(e.partition());
        byte[] recorded = AuditChain.bytes(r.getRecordHash());
        if (!Arrays.equals(recorded, computed)) {
            breaks.add(new Break(e.partition(), e.offset(), auditId, Check.HASH, "chain " + r.getChain() + " position "
                    + r.getChainSequence()));
            return;
        }
        int chain = r.getChain();
        long sequence = r.getChainSequence();
        byte[] previous = AuditChain.bytes(r.getPreviousHash());
        String key = e.partition() + "/" + chain;
        Head head = heads.get(key);
        String at = "chain " + chain + " position " + sequence;
        AuditCheckpoint anchor = anchors.get(chain);
        if (head == null && anchor != null) {
            if (sequence < anchor.getSequence()) {
                beforeAnchors++;
                return;
            }
            head = new Head(e.partition(), chain, anchor.getSequence(), -1, AuditChain.bytes(anchor.getHeadHash()), 0);
            if (sequence == anchor.getSequence()) {
                if (!Arrays.equals(computed, head.hash())) {
                    breaks.add(new Break(e.partition(), e.offset(), auditId, Check.ANCHOR, at + ": the checkpoint started from"
                            + " signed another record here"));
                    return; // the records after it are checked against the anchor
                }
                heads.put(key, new Head(e.partition(), chain, sequence, e.offset(), computed, 1));
                remember(chain, sequence, computed);
                return;
            }
        }
        if (head == null) {
            boolean first = sequence == 1 && Arrays.equals(previous, AuditChain.GENESIS);
            if (!first && beginning.getOrDefault(e.partition(), 0L) == 0) {
                breaks.add(new Break(e.partition(), e.offset(), auditId, Check.START, at));
            }
        } else if (sequence <= head.sequence()) {
            breaks.add(new Break(e.partition(), e.offset(), auditId, Check.ORDER, at + " after position " + head.sequence()));
            return;
        } else if (sequence > head.sequence() + 1) {
            breaks.add(new Break(e.partition(), e.offset(), auditId, Check.GAP, at + ": positions " + (head.sequence() + 1)
                    + (sequence - 1 > head.sequence() + 1 ? ".." + (sequence - 1) : "") + " missing"));
        } else if (!Arrays.equals(previous, head.hash())) {
            breaks.add(new Break(e.partition(), e.offset(), auditId, Check.LINK, at));
        }
        heads.put(key, new Head(e.partition(), chain, sequence, e.offset(), computed, head == null ? 1 : head.records() + 1));
        remember(chain, sequence, computed);
        Checkpoint c = pending.remove(chain + "/" + sequence);
        if (c != null) {
            if (Arrays.equals(AuditChain.bytes(c.value().getHeadHash()), computed)) {
                confirmed.put(chain, c);
            } else {
                breaks.add(new Break(e.partition(), e.offset(), auditId, Check.CHECKPOINT, at + ": the checkpoint at checkpoint-topic"
                        + " partition " + c.partition() + " offset " + c.offset() + " signed another record here"));
            }
        }
    }

    private void remember(int chain, long sequence, byte[] hash) {
        recent.computeIfAbsent(chain, k -> new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > REMEMBERED;
            }
        }).put(sequence, hash);
    }

    /**
     * A checkpoint read live, after or before its record (the console; no signature check: that
     * needs the published key, {@code audit verify --checkpoint-key}): matched at once when its record
     * is among the chain's last {@value #REMEMBERED} positions, else when the record comes.
     */
    public void checkpoint(Checkpoint c) {
        AuditCheckpoint v = c.value();
        checkpoints++;
        byte[] seen = recent.getOrDefault(v.getChain(), Map.of()).get(v.getSequence());
        if (seen == null) {
            pending.put(v.getChain() + "/" + v.getSequence(), c);
        } else if (Arrays.equals(seen, AuditChain.bytes(v.getHeadHash()))) {
            confirmed.put(v.getChain(), c);
        } else {
            breaks.add(new Break(c.partition(), c.offset(), null, Check.CHECKPOINT, "checkpoint of chain " + v.getChain()
                    + " position " + v.getSequence() + " signed another record than the chain's"));
        }
    }

    /** After the last record: checkpoints naming a position no record had (the chain was cut short, or records removed). */
    public void finish() {
        pending.values().stream().sorted(java.util.Comparator.comparingInt(Checkpoint::partition).thenComparingLong(Checkpoint::offset))
                .forEach(c -> breaks.add(new Break(c.partition(), c.offset(), null, Check.CHECKPOINT, "checkpoint of chain "
                        + c.value().getChain() + " position " + c.value().getSequence() + ": the chain has no such record")));
        pending.clear();
    }

    /** How many published keys the signatures were checked under (0: not checked). */
    public int keysGiven() {
        return keysGiven;
    }

    /** Checkpoints read whose signature held (or all, when no key was given). */
    public long checkpointCount() {
        return checkpoints;
    }

    /** The last checkpoint each chain's records matched, by chain. */
    public Map<Integer, Checkpoint> confirmed() {
        return confirmed;
    }

    private static byte[] failUndecodable() {
        throw new IllegalArgumentException("not decodable as AuditRecord");
    }

    public List<Break> breaks() {
        return breaks;
    }

    /** Each chain's last record, by partition and chain. */
    public List<Head> heads() {
        return List.copyOf(heads.values());
    }

    /** Records from before the chain existed. */
    public long preChain() {
        return preChain.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records that passed every check. */
    public long linked() {
        return heads.values().stream().mapToLong(Head::records).sum();
    }
}
