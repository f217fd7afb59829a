package io.edgestop.orchestrator;

import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Step 0: signature nonces seen per AccessKeyId, in one window store of the account's task
 * ({@code accessKeyId\nnonce} at the command's event time). The store's retention (two windows)
 * forgets old nonces segment by segment, so no index of its own is needed and each new nonce is
 * one changelog record.
 */
final class NonceLedger {

    static final String STORE = "nonces";
    private static final byte[] SEEN = new byte[0];

    private final WindowStore<String, byte[]> seen;
    private final long windowMs;

    NonceLedger(WindowStore<String, byte[]> seen, long windowMs) {
        this.seen = seen;
        this.windowMs = windowMs;
    }

    /** Retention of the store: a duplicate up to one window late, relative to stream time, is still caught. */
    static long retentionMs(long windowMs) {
        return 2 * windowMs;
    }

    static String key(String accessKeyId, String nonce) {
        return (accessKeyId == null ? "" : accessKeyId) + "\n" + nonce;
    }

    /** True when the nonce was already used within the window around {@code ts}; records it otherwise. */
    boolean usedBefore(String key, long ts) {
        try (WindowStoreIterator<byte[]> it = seen.fetch(key, Math.max(0, ts - windowMs), ts + windowMs)) {
            if (it.hasNext()) {
                return true;
            }
        }
        seen.put(key, SEEN, ts);
        return false;
    }
}
