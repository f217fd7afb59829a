package io.edgestop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Counts the WARN and ERROR lines of the benchmark JVM itself (the embedded broker, the HTTP adapter,
 * the workers, the clients: logback.xml), by level and logger, apart before and after
 * {@link #mark()}, keeping the first few after it: the broker's errors during the measured phases
 * (such as its {@code OutOfOrderSequenceException} rejections of transactional batches) beside the
 * aborted records they would cause if they were not retried.
 */
public final class LogCount extends AppenderBase<ILoggingEvent> {

    private static final int KEEP = 5;
    private static final Map<String, int[]> COUNTS = new TreeMap<>();
    private static final List<String> FIRST = new ArrayList<>();
    private static boolean measured;

    /** From now on, lines count as the measured phases'. */
    static synchronized void mark() {
        measured = true;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        synchronized (LogCount.class) {
            String kind = e.getThrowableProxy() != null
                    ? " [" + e.getThrowableProxy().getClassName().substring(e.getThrowableProxy().getClassName().lastIndexOf('.') + 1) + "]"
                    : LogScan.kind(e.getFormattedMessage());
            COUNTS.computeIfAbsent(e.getLevel() + " " + e.getLoggerName() + kind, k -> new int[2])[measured ? 1 : 0]++;
            if (measured && FIRST.size() < KEEP) {
                String m = e.getFormattedMessage();
                FIRST.add(e.getLevel() + " " + e.getLoggerName() + " - " + (m.length() > 300 ? m.substring(0, 300) + "..." : m));
            }
        }
    }

    static synchronized String report() {
        StringBuilder sb = new StringBuilder(String.format("benchmark JVM (broker, adapter, workers, clients) WARN/ERROR lines: %d"
                + " during the measured phases%n", COUNTS.values().stream().mapToInt(c -> c[1]).sum()));
        sb.append(String.format("  %8s %8s  %s%n", "start-up", "measured", "level logger [kind]"));
        COUNTS.forEach((logger, n) -> sb.append(String.format("  %8d %8d  %s%n", n[0], n[1], logger)));
        if (!FIRST.isEmpty()) {
            sb.append("  first ").append(FIRST.size()).append(" of the measured phases:\n");
            FIRST.forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        return sb.toString();
    }
}
