package io.edgestop.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of a JFR recording's method samples, Java ({@code jdk.ExecutionSample}: threads
 * running Java code) and native ({@code jdk.NativeMethodSample}: threads inside a native method,
 * such as RocksDB's JNI calls, whose top frame is that method): self = samples with the method on
 * top, total = samples with it anywhere in the stack (counted once per sample). JFR samples a thread
 * in native code whether it runs or waits, so native samples of a thread blocked in a selector or a
 * socket poll (idle network and admin threads: most of them) are left out and only counted.
 */
final class JfrTop {

    private static final String JAVA = "jdk.ExecutionSample";
    private static final String NATIVE = "jdk.NativeMethodSample";

    private final Map<String, long[]> byMethod = new HashMap<>(); // self java, self native, total java, total native
    /** Top frames of native samples that are a thread waiting for I/O, not running. */
    private static final Set<String> WAITING = Set.of("EPoll.wait", "Net.poll", "Net.accept", "EPoll.epollWait");

    private long javaSamples;
    private long nativeSamples;
    private long waitingSamples;

    private JfrTop() {
    }

    static JfrTop read(Path jfr) throws IOException {
        JfrTop top = new JfrTop();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if ((type.equals(JAVA) || type.equals(NATIVE)) && e.getStackTrace() != null) {
                top.add(type.equals(NATIVE), e.getStackTrace().getFrames());
            }
        }
        return top;
    }

    private void add(boolean nativeSample, List<RecordedFrame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        if (nativeSample && WAITING.contains(name(frames.get(0)))) {
            waitingSamples++;
            return;
        }
        int k = nativeSample ? 1 : 0;
        if (nativeSample) {
            nativeSamples++;
        } else {
            javaSamples++;
        }
        byMethod.computeIfAbsent(name(frames.get(0)), n -> new long[4])[k]++;
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (seen.add(n)) {
                byMethod.computeIfAbsent(n, x -> new long[4])[2 + k]++;
            }
        }
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        String type = m.getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName();
    }

    /** Two tables of the {@code n} top methods: by self samples, then by total (inclusive) samples. */
    String table(int n) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "profile: %d Java samples (%s), %d native samples (%s;"
                + " %d more of threads waiting in %s left out)%n", javaSamples, JAVA, nativeSamples, NATIVE, waitingSamples,
                String.join("/", new java.util.TreeSet<>(WAITING))));
        section(sb, "top " + n + " by self (method on top of the stack)", 0, n);
        section(sb, "top " + n + " by total (method anywhere in the stack)", 2, n);
        return sb.toString();
    }

    private void section(StringBuilder sb, String title, int col, int n) {
        long all = Math.max(1, javaSamples + nativeSamples);
        sb.append(String.format(Locale.ROOT, "%-90s %8s %8s %7s%n", title, "Java", "native", "share"));
        byMethod.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[col] + b.getValue()[col + 1], a.getValue()[col] + a.getValue()[col + 1]))
                .limit(n)
                .forEach(e -> {
                    long[] c = e.getValue();
                    String m = e.getKey().length() > 90 ? e.getKey().substring(0, 87) + "..." : e.getKey();
                    sb.append(String.format(Locale.ROOT, "%-90s %8d %8d %6.1f%%%n", m, c[col], c[col + 1],
                            100.0 * (c[col] + c[col + 1]) / all));
                });
    }
}
