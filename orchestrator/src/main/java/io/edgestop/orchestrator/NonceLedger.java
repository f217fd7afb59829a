package io.edgestop.orchestrator;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Signature nonces seen per AccessKeyId (step 0), on two key-value stores of the account-keyed
 * task: {@code nonce -> event time} for the point lookup, and an index ordered by event time
 * ({@link TimeIndexKey}: time + nonce key) so that entries older than the window are removed
 * in order as stream time passes, without scanning the live ones.
 */
final class NonceLedger {

    static final String NONCE_STORE = "nonce-last-seen";
    static final String NONCE_INDEX_STORE = "nonce-expiry-index";

    private final KeyValueStore<String, Long> seen;
    private final KeyValueStore<Bytes, byte[]> byTime;
    private final long windowMs;

    NonceLedger(KeyValueStore<String, Long> seen, KeyValueStore<Bytes, byte[]> byTime, long windowMs) {
        this.seen = seen;
        this.byTime = byTime;
        this.windowMs = windowMs;
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
        long keep = previous == null ? ts : Math.max(ts, previous);
        seen.put(key, keep);
        byTime.put(TimeIndexKey.of(keep, key), new byte[0]);
        return false;
    }

    /**
     * Forgets nonces recorded more than two windows before stream time (so a duplicate up to one
     * window late, relative to stream time, is still caught).
     */
    void expire(long streamTime) {
        long before = streamTime - 2 * windowMs;
        if (before <= 0) {
            return;
        }
        List<Bytes> done = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = byTime.range(TimeIndexKey.of(0, ""), TimeIndexKey.of(before, ""))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                done.add(kv.key);
            }
        }
        for (Bytes index : done) {
            long ts = TimeIndexKey.time(index);
            if (ts >= before) {
                continue;
            }
            String key = TimeIndexKey.key(index);
            Long current = seen.get(key);
            if (current != null && current == ts) {
                seen.delete(key);
            }
            byTime.delete(index);
        }
    }
}
