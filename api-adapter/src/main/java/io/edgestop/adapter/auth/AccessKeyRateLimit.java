package io.edgestop.adapter.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per second of one verified AccessKeyId on this adapter instance, a token bucket that holds
 * one second's worth: checked right after the signature (so a caller cannot spend another key's
 * budget) and before the nonce is remembered and any Kafka or orchestrator work, so no single key can
 * fill the nonce memory or the command path. Idle buckets are dropped once a minute.
 */
public final class AccessKeyRateLimit {

    private static final long SWEEP_EVERY_MS = 60_000;

    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    public AccessKeyRateLimit(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("the rate must be positive: " + perSecond);
        }
        this.perSecond = perSecond;
    }

    /** Takes one request of {@code accessKeyId} at {@code nowMillis}; false when over the rate. */
    public boolean tryAcquire(String accessKeyId, long nowMillis) {
        sweep(nowMillis);
        Bucket b = buckets.computeIfAbsent(accessKeyId, k -> new Bucket(perSecond, nowMillis));
        synchronized (b) {
            // a request that read the clock before another one took the bucket (its thread stalled in between) is not
            // time running backwards: it refills nothing and takes nothing away (requests stalled 0.5 s once overdrew
            // the bucket and throttled a key for two seconds: docs/reliability.md, "Bug found by these tests")
            long elapsed = Math.max(0, nowMillis - b.updated);
            b.tokens = Math.min(perSecond, b.tokens + elapsed * perSecond / 1000.0);
            b.updated = Math.max(b.updated, nowMillis);
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    private void sweep(long now) {
        if (now - lastSweep < SWEEP_EVERY_MS) {
            return;
        }
        lastSweep = now;
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return now - b.updated > SWEEP_EVERY_MS;
            }
        });
    }

    int keys() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
