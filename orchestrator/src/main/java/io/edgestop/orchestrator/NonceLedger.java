package io.edgestop.orchestrator;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 0: signature nonces seen per AccessKeyId, in one key-value store of the account's task
 * ({@code accessKeyId\nnonce -> event time}): one changelog record per new nonce, no index.
 * Old nonces are forgotten by a sweep that visits a slice of the store at each punctuation and
 * deletes the entries more than two windows older than stream time, so a whole pass takes about
 * one window whatever the store's size.
 *
 * <p>Why not a window store, whose segments would drop old nonces by themselves: Kafka Streams
 * 4.3.1 keeps a segmented store's committed changelog offset inside its segments, so a window
 * store with no segment (no nonce yet, or all expired) has none; under exactly-once such a task is
 * then found corrupted whenever it is assigned again, and handling that during a rebalance can
 * abort the uncommitted writes of the other tasks of the same stream thread for good
 * (docs/reliability.md; OrchestratorKillTest lost a commit interval of decisions that way).
 */
final class NonceLedger {

    static final String STORE = "nonces";
    private static final int MIN_SWEEP = 1000;

    private final KeyValueStore<String, Long> seen;
    private final long windowMs;
    private final long sweepIntervalMs;
    private String cursor;

    NonceLedger(KeyValueStore<String, Long> seen, long windowMs, long sweepIntervalMs) {
        this.seen = seen;
        this.windowMs = windowMs;
        this.sweepIntervalMs = sweepIntervalMs;
    }

    static String key(String accessKeyId, String nonce) {
        return (accessKeyId == null ? "" : accessKeyId) + "\n" + nonce;
    }

    /** True when the nonce was already used within the window around {@code ts}; records it otherwise. */
    boolean usedBefore(String key, long ts) {
        Long previous = seen.get(key);
        if (previous != null && Math.abs(ts - previous) <= windowMs) {
            return true;
        }
        seen.put(key, previous == null ? ts : Math.max(ts, previous));
        return false;
    }

    /**
     * Deletes, in the next slice of the store, the nonces recorded more than two windows before
     * stream time (so a duplicate up to one window late, relative to stream time, is still caught).
     */
    void sweep(long streamTime) {
        long before = streamTime - 2 * windowMs;
        long slice = Math.max(MIN_SWEEP, seen.approximateNumEntries() / Math.max(1, windowMs / sweepIntervalMs));
        List<String> expired = new ArrayList<>();
        String last = null;
        int visited = 0;
        try (KeyValueIterator<String, Long> it = cursor == null ? seen.all() : seen.range(cursor, null)) {
            while (it.hasNext() && visited < slice) {
                KeyValue<String, Long> kv = it.next();
                if (kv.key.equals(cursor)) {
                    continue; // where the last slice ended
                }
                visited++;
                last = kv.key;
                if (kv.value < before) {
                    expired.add(kv.key);
                }
            }
            cursor = it.hasNext() ? last : null; // at the end: start again from the first key
        }
        expired.forEach(seen::delete);
    }
}
