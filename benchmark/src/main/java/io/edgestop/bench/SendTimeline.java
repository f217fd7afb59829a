package io.edgestop.bench;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each latency kept with its intended send time, so that a phase's tail can be told apart: a few stalls
 * (the slow ones were sent within a few seconds, queued behind one long pause of a stream thread) or a
 * steady spread (every second has its share).
 */
final class SendTimeline {

    /** The time of day as the JVMs' logs print it (component-logback.xml). */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private long[] sent = new long[1 << 12];
    private long[] latency = new long[1 << 12];
    private int size;

    synchronized void record(long sentNanos, long latencyNanos) {
        if (size == sent.length) {
            sent = Arrays.copyOf(sent, size * 2);
            latency = Arrays.copyOf(latency, size * 2);
        }
        sent[size] = sentNanos;
        latency[size++] = latencyNanos;
    }

    /** Forgets what was recorded (a new phase, a new minute of the soak). */
    synchronized void clear() {
        size = 0;
    }

    /**
     * Where the records slower than {@code percentile} were sent, by second from the first send, the seconds that hold
     * most of them first, {@code shown} of them: {@code "above p99 (600): sent in 4 of 60 s, 92% in +12 s 412 (max 812 ms),
     * +13 s 120 (max 430 ms), +41 s 20 (max 230 ms) (the first sent at 15:40:01.234, to match with a JVM's log)"};
     * "-" when nothing was recorded.
     */
    synchronized String tail(double percentile, int shown) {
        if (size == 0) {
            return "-";
        }
        long[] sorted = Arrays.copyOf(latency, size);
        Arrays.sort(sorted);
        long threshold = sorted[Math.max(0, (int) Math.ceil(percentile / 100 * size) - 1)];
        long first = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            first = Math.min(first, sent[i]);
            lastSent = Math.max(lastSent, sent[i]);
        }
        Map<Long, long[]> bySecond = new TreeMap<>(); // second -> {count, max latency}
        long above = 0;
        for (int i = 0; i < size; i++) {
            if (latency[i] > threshold) {
                long[] bin = bySecond.computeIfAbsent((sent[i] - first) / 1_000_000_000L, s -> new long[2]);
                bin[0]++;
                bin[1] = Math.max(bin[1], latency[i]);
                above++;
            }
        }
        if (above == 0) {
            return String.format(Locale.ROOT, "none above p%s", pct(percentile));
        }
        List<Map.Entry<Long, long[]>> bins = new ArrayList<>(bySecond.entrySet());
        bins.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<Map.Entry<Long, long[]>> top = bins.subList(0, Math.min(shown, bins.size()));
        long inTop = top.stream().mapToLong(e -> e.getValue()[0]).sum();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "above p%s (%d): sent in %d of %d s, %d%% in",
                pct(percentile), above, bins.size(), (lastSent - first) / 1_000_000_000L + 1, Math.round(100.0 * inTop / above)));
        for (int i = 0; i < top.size(); i++) {
            Map.Entry<Long, long[]> e = top.get(i);
            sb.append(i == 0 ? " " : ", ").append(String.format(Locale.ROOT, "+%d s %d (max %.0f ms)", e.getKey(), e.getValue()[0],
                    e.getValue()[1] / 1e6));
        }
        long firstWallMs = System.currentTimeMillis() - (System.nanoTime() - first) / 1_000_000;
        return sb.append(" (the first sent at ").append(CLOCK.format(Instant.ofEpochMilli(firstWallMs)))
                .append(", to match with a JVM's log)").toString();
    }

    /** {@link #tail}, then {@link #clear}, at once: the soak's minute by minute. */
    synchronized String tailAndClear(double percentile, int shown) {
        String tail = tail(percentile, shown);
        clear();
        return tail;
    }

    private static String pct(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }
}
