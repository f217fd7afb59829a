package io.edgestop.bench;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/** Thread-safe latency recording in microseconds (HdrHistogram, 3 significant digits). */
final class Latencies {
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    void recordNanos(long nanos) {
        recorder.recordValue(Math.max(1, nanos / 1000));
    }

    synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }
}
