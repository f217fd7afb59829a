package io.edgestop.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Thread-safe latency recording in microseconds (HdrHistogram, 3 significant digits). */
final class Latencies {
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    void recordNanos(long nanos) {
        recorder.recordValue(Math.max(1, nanos / 1000));
    }

    /** What was recorded since the previous call (it still counts in {@link #snapshot()}). */
    synchronized Histogram interval() {
        Histogram h = recorder.getIntervalHistogram();
        total.add(h);
        return h;
    }

    /** Everything recorded so far. */
    synchronized Histogram snapshot() {
        interval();
        return total.copy();
    }
}
