package io.edgestop.adapter.auth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This instance's fast path against replayed nonces: remembers (AccessKeyId, nonce) until the
 * request's timestamp leaves the acceptance window. The deployment-wide check is the orchestrator's
 * (a nonce seen again for the same AccessKeyId within 15 minutes is rejected whichever adapter
 * instance received it). Bounded: past {@code maxEntries} new nonces are not remembered locally.
 */
public final class NonceCache {

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final long windowMillis;
    private final int maxEntries;
    private final AtomicLong lastSweep = new AtomicLong();

    public NonceCache(long windowMillis, int maxEntries) {
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
    }

    /** Records the nonce; false when it was already seen and has not expired. */
    public boolean firstUse(String accessKeyId, String nonce, long requestTimeMillis, long nowMillis) {
        sweep(nowMillis);
        String key = accessKeyId + '\n' + nonce;
        long expiry = Math.max(requestTimeMillis, nowMillis) + windowMillis;
        boolean[] fresh = {true};
        expiries.compute(key, (k, old) -> {
            if (old != null && old > nowMillis) {
                fresh[0] = false;
                return old;
            }
            return expiries.size() >= maxEntries ? null : expiry;
        });
        return fresh[0];
    }

    public int size() {
        return expiries.size();
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < 1_000 || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
            if (it.next() <= now) {
                it.remove();
            }
        }
    }
}
