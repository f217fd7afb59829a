package io.edgestop.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces events at a target rate (0 = flat out), catching up after stalls rather than drifting.
 * Latencies are timed from the time an event was due, so a stalled sender does not hide the
 * stall (no coordinated omission).
 */
final class Pacer {
    private static final long LATE_NANOS = 10_000_000;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long count;
    private long late;
    private long behindNanos;
    private long maxBehindNanos;

    Pacer(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
    }

    /** Waits until the next event is due and returns the time it was due (now, flat out). */
    long await() {
        if (intervalNanos == 0) {
            return System.nanoTime();
        }
        long due = start + count++ * intervalNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return due;
    }

    /** Call right after sending the event due at {@code due}: counts it as late if it went out 10 ms or more after. */
    void sent(long due) {
        behindNanos = System.nanoTime() - due;
        maxBehindNanos = Math.max(maxBehindNanos, behindNanos);
        if (behindNanos >= LATE_NANOS) {
            late++;
        }
    }

    /** "" when on schedule, else how far behind the sender was. */
    String scheduleNote() {
        if (intervalNanos == 0 || late == 0) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "SENDER BEHIND SCHEDULE: %d of %d sends >= 10 ms late, at most %.0f ms,"
                + " %.0f ms behind at the end", late, count, maxBehindNanos / 1e6, behindNanos / 1e6);
    }
}
