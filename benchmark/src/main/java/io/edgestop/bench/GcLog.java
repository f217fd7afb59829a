package io.edgestop.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's GC log ({@code -Xlog:gc:file=...}), read a stretch at a time: the heap after its last collection and its
 * longest pause since the previous read. It watches the heap without stopping the JVM: a full GC forced once a minute
 * (jcmd GC.run) paused the orchestrator and made the decisions sent meanwhile the slowest of the soak's minutes.
 */
final class GcLog {

    /** A pause line of unified logging: {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause) 150M->80M(226M) 5.123ms}. */
    private static final Pattern PAUSE = Pattern.compile("Pause .* (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

    /** What the log said since the previous read: -1 for the heap when no collection ran, pauses 0 and NaN then. */
    record Stretch(long afterMiB, long committedMiB, int pauses, double longestPauseMs) {
    }

    private final Path file;
    private long offset;
    private long afterMiB = -1;
    private long committedMiB = -1;

    GcLog(Path file) {
        this.file = file;
    }

    /** The JVM option that writes this log. */
    String option() {
        return "-Xlog:gc:file=" + file.toAbsolutePath();
    }

    /** The lines written since the previous call; the heap figures are those of the latest collection, in any stretch. */
    synchronized Stretch next() throws IOException {
        if (!Files.exists(file)) {
            return new Stretch(-1, -1, 0, Double.NaN);
        }
        String text;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            byte[] bytes = new byte[(int) Math.max(0, end - offset)];
            in.seek(offset);
            in.readFully(bytes);
            int complete = lastNewline(bytes) + 1; // a line still being written is read the next time
            offset += complete;
            text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
        }
        return parse(text);
    }

    private Stretch parse(String text) {
        int pauses = 0;
        double longest = Double.NaN;
        Matcher m = PAUSE.matcher(text);
        while (m.find()) {
            pauses++;
            afterMiB = Long.parseLong(m.group(2));
            committedMiB = Long.parseLong(m.group(3));
            double ms = Double.parseDouble(m.group(4));
            longest = Double.isNaN(longest) ? ms : Math.max(longest, ms);
        }
        return new Stretch(afterMiB, committedMiB, pauses, longest);
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
