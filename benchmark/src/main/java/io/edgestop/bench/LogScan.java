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
 * logger, with the first few kept as they are, so what the orchestrator complains of during a run
 * (aborted transactions, task corruption, producer fencing) shows in the report.
 */
final class LogScan {

    private static final Pattern LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR)\\s+(\\S+) - ");

    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> first = new ArrayList<>();
    private final int keep;

    private LogScan(int keep) {
        this.keep = keep;
    }

    /** Scans {@code log}, keeping the first {@code keep} WARN/ERROR lines (cut at 300 characters). */
    static LogScan of(Path log, int keep) throws IOException {
        LogScan scan = new LogScan(keep);
        if (Files.exists(log)) {
            try (var lines = Files.lines(log)) {
                lines.forEach(scan::line);
            }
        }
        return scan;
    }

    private void line(String line) {
        Matcher m = LINE.matcher(line);
        if (m.find()) {
            counts.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
            if (first.size() < keep) {
                first.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
            }
        }
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** "N WARN/ERROR lines" and, if any, one line per level and logger with its count, then the first lines. */
    String report(String who, Path keptAt) {
        StringBuilder sb = new StringBuilder(String.format("%s log: %d WARN/ERROR lines (%s)%n", who, total(), keptAt));
        counts.forEach((logger, n) -> sb.append(String.format("  %6d  %s%n", n, logger)));
        if (!first.isEmpty()) {
            sb.append("  first ").append(first.size()).append(":\n");
            first.forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        return sb.toString();
    }
}
