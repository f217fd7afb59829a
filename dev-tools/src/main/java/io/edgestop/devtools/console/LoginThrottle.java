package io.edgestop.devtools.console;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed console logins per client address: after {@link #MAX_FAILURES} wrong credentials within
 * {@link #WINDOW_MS}, that address is refused (429, even with the right password) until the window
 * that began with its first failure has passed, so the password cannot be guessed at network speed.
 * Bounded: while {@link #MAX_ADDRESSES} addresses are being tracked, an address not yet tracked is
 * refused too (closed, not open, when flooded from many addresses); entries are dropped once their window passed.
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final long WINDOW_MS = 60_000;
    static final int MAX_ADDRESSES = 10_000;

    private final Map<String, long[]> failures = new ConcurrentHashMap<>(); // {window start, count}
    private volatile long lastSweep;

    /** Whether {@code address} may try a credential now. */
    boolean allowed(String address, long nowMs) {
        sweep(nowMs);
        long[] f = failures.get(address);
        if (f == null) {
            return failures.size() < MAX_ADDRESSES;
        }
        synchronized (f) {
            return nowMs - f[0] >= WINDOW_MS || f[1] < MAX_FAILURES;
        }
    }

    /** Counts a wrong credential from {@code address}. */
    void failed(String address, long nowMs) {
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            return;
        }
        long[] f = failures.computeIfAbsent(address, a -> new long[] {nowMs, 0});
        synchronized (f) {
            if (nowMs - f[0] >= WINDOW_MS) {
                f[0] = nowMs;
                f[1] = 0;
            }
            f[1]++;
        }
    }

    /** Seconds until {@code address} may try again (for Retry-After), at least 1. */
    long retryAfterSeconds(String address, long nowMs) {
        long[] f = failures.get(address);
        long start = f == null ? nowMs : f[0];
        return Math.max(1, (start + WINDOW_MS - nowMs + 999) / 1000);
    }

    private void sweep(long nowMs) {
        if (nowMs - lastSweep < 1_000) {
            return;
        }
        lastSweep = nowMs;
        failures.values().removeIf(f -> {
            synchronized (f) {
                return nowMs - f[0] >= WINDOW_MS;
            }
        });
    }
}
