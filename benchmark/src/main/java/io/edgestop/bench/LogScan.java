package io.edgestop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WARN and ERROR lines of a JVM's log (component-logback.xml's pattern), counted by level and
 * logger apart for the start-up and warm-up (before a mark) and the measured phases (after it),
 * with the first few of the measured phases kept as they are, so what the orchestrator complains of
 * under load (aborted transactions, task corruption, producer fencing) shows in the report.
 */
final class LogScan {

    private static final Pattern LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR)\\s+(\\S+) - ");
    /** What kind of error a line reports: a Kafka error code ("Error: CONCURRENT_TRANSACTIONS") or an exception's name. */
    private static final Pattern KIND = Pattern.compile("Error: ([A-Z_]+)|(\\w+(?:Exception|Error))\\b");

    private final Map<String, int[]> counts = new TreeMap<>(); // before the mark, after it
    private final List<String> first = new ArrayList<>();
    private final int keep;
    private final long mark;
    private long lineNo;

    private LogScan(int keep, long mark) {
        this.keep = keep;
        this.mark = mark;
    }

    /** Lines in {@code log} so far: the mark between start-up and the measured phases. */
    static long lines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.count();
        }
    }

    /** Scans {@code log}, keeping the first {@code keep} WARN/ERROR lines (cut at 300 characters) after line {@code mark}. */
    static LogScan of(Path log, int keep, long mark) throws IOException {
        LogScan scan = new LogScan(keep, mark);
        if (Files.exists(log)) {
            try (var lines = Files.lines(log)) {
                lines.forEach(scan::line);
            }
        }
        return scan;
    }

    private void line(String line) {
        boolean measured = lineNo++ >= mark;
        Matcher m = LINE.matcher(line);
        if (m.find()) {
            counts.computeIfAbsent(m.group(1) + " " + m.group(2) + kind(line.substring(m.end())), k -> new int[2])[measured ? 1 : 0]++;
            if (measured && first.size() < keep) {
                first.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
            }
        }
    }

    /** " [KIND]" of a message, "" if it names none. */
    static String kind(String message) {
        Matcher k = KIND.matcher(message);
        return k.find() ? " [" + (k.group(1) != null ? k.group(1) : k.group(2)) + "]" : "";
    }

    /** WARN/ERROR lines during the measured phases. */
    int measured() {
        return counts.values().stream().mapToInt(c -> c[1]).sum();
    }

    /** One line per level, logger and kind of error with its counts before and during the measured phases, then the first lines of the latter. */
    String report(String who, Path keptAt) {
        StringBuilder sb = new StringBuilder(String.format("%s WARN/ERROR lines: %d during the measured phases (log: %s)%n", who,
                measured(), keptAt));
        sb.append(String.format("  %8s %8s  %s%n", "start-up", "measured", "level logger [kind]"));
        counts.forEach((logger, n) -> sb.append(String.format("  %8d %8d  %s%n", n[0], n[1], logger)));
        if (!first.isEmpty()) {
            sb.append("  first ").append(first.size()).append(" of the measured phases:\n");
            first.forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        return sb.toString();
    }
}
