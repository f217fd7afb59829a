package io.edgestop.bench;

import java.util.concurrent.locks.LockSupport;

/** Spaces events at a target rate (0 = flat out), catching up after stalls rather than drifting. */
final class Pacer {
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long count;

    Pacer(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
    }

    void await() {
        if (intervalNanos == 0) {
            return;
        }
        long due = start + count++ * intervalNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
