package io.edgestop.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers (scope, nonce) until the request's time leaves the acceptance window, to refuse a replay:
 * the adapter's per-instance fast path (scope: the AccessKeyId) and the orchestrator's check of reads
 * on the account's owner (scope: account and AccessKeyId). Bounded, and closed when full: a nonce it
 * cannot remember is {@link Use#FULL}, and the caller refuses the request rather than accept one it
 * could not recognise if replayed. Expired entries are swept at most once a second (a scan per
 * request while full would let a flood cost more than it is refused for).
 */
public final class NonceCache {

    /** What one use of a nonce is. */
    public enum Use { FIRST, REPLAY, FULL }

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final long windowMillis;
    private final int maxEntries;
    private final AtomicLong lastSweep = new AtomicLong();

    public NonceCache(long windowMillis, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
    }

    /** Records the nonce unless it was seen within the window (REPLAY) or cannot be remembered (FULL). */
    public Use use(String scope, String nonce, long requestTimeMillis, long nowMillis) {
        sweep(nowMillis);
        String key = scope + '\n' + nonce;
        long expiry = Math.max(requestTimeMillis, nowMillis) + windowMillis;
        Use[] use = {Use.FIRST};
        expiries.compute(key, (k, old) -> {
            if (old != null && old > nowMillis) {
                use[0] = Use.REPLAY;
                return old;
            }
            if (old == null && expiries.size() >= maxEntries) {
                use[0] = Use.FULL;
                return null;
            }
            return expiry;
        });
        return use[0];
    }

    public int size() {
        return expiries.size();
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < 1_000 || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        expiries.values().removeIf(expiry -> expiry <= now);
    }
}
