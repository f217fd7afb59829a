package io.edgestop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU of every thread of a process, native ones included, from {@code /proc/<pid>/task/<tid>/stat}
 * (user + system ticks) and {@code comm}, sampled at a phase's start and end. The kernel's
 * {@code comm} is cut at 15 characters ("bench-1a2b3c-..." for every Kafka Streams thread), so Java
 * threads are named from {@code jcmd Thread.print} ({@code nid} = the native thread id); threads it
 * does not list (RocksDB's, most of all) keep their {@code comm}.
 */
final class ThreadCpu {

    /** Ticks per second of {@code /proc} times (USER_HZ, 100 on Linux). */
    private static final double HZ = 100.0;
    private static final Pattern JAVA_THREAD = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-fA-F]+|\\d+)");

    /** The groups of the table, in its order. */
    static final List<String> GROUPS = List.of("stream threads", "global thread", "RocksDB (rocksdb:*)",
            "producer/consumer I/O", "GC", "JIT (C1/C2)", "other", "exited during the phase");

    /** Ticks of each thread (by tid) and of the whole process, with each thread's name. */
    record Sample(Map<Long, Long> ticks, Map<Long, String> names, long processTicks) {
    }

    /** CPU seconds by group over one phase of {@code commands} commands and {@code seconds} wall time. */
    record Usage(String phase, long commands, double seconds, Map<String, Double> cpuSeconds, double processSeconds) {
    }

    private ThreadCpu() {
    }

    static Sample sample(long pid) throws IOException, InterruptedException {
        Map<Long, String> javaNames = javaThreadNames(pid);
        Map<Long, Long> ticks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                long tid = Long.parseLong(task.getFileName().toString());
                try {
                    long t = ticks(Files.readString(task.resolve("stat")));
                    String name = javaNames.containsKey(tid) ? javaNames.get(tid) : Files.readString(task.resolve("comm")).trim();
                    ticks.put(tid, t);
                    names.put(tid, name);
                } catch (NoSuchFileException gone) {
                    // the thread ended between the listing and the read: its ticks count in the process's
                }
            }
        }
        return new Sample(ticks, names, ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    }

    /**
     * CPU ticks of this JVM's compiler threads so far (their {@code comm}, without jcmd: cheap enough around every
     * latency phase). The benchmark JVM holds the embedded broker; while its JIT still compiles, the broker shares
     * core 0 with it and every latency measured through it is longer (docs/benchmarks.md).
     */
    static long ownJitTicks() {
        long sum = 0;
        try (Stream<Path> list = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : list.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (jit(name)) {
                        sum += ticks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    /** A compiler thread, by its Java name or its {@code comm} (the first 15 characters of it). */
    private static boolean jit(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** The cores this JVM's JIT took since {@code startTicks} over {@code seconds} (NaN if unknown). */
    static double ownJitCores(long startTicks, double seconds) {
        long now = ownJitTicks();
        return startTicks < 0 || now < 0 ? Double.NaN : (now - startTicks) / HZ / Math.max(1e-9, seconds);
    }

    /** The note of a latency phase: {@link #ownJitCores}. */
    static String ownJitNote(long startTicks, double seconds) {
        return String.format(java.util.Locale.ROOT, "benchmark JVM (broker, load) JIT %.2f cores", ownJitCores(startTicks, seconds));
    }

    /** {@link #sample(long)}, or null (with a warning) when it fails: a table then lacks that phase, the run goes on. */
    static Sample sampleOrNull(long pid) {
        try {
            return sample(pid);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ThreadCpu.class).warn("no thread CPU sample of pid {}: {}", pid, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** CPU seconds (user + system) a process has used so far, all its threads, native ones included. */
    static double processSeconds(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / HZ;
    }

    /** utime + stime (fields 14 and 15) of a {@code stat} line; the name in parentheses may hold spaces. */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Native thread id -> Java thread name (also GC and compiler threads), from {@code jcmd PID Thread.print}. */
    private static Map<Long, String> javaThreadNames(long pid) throws IOException, InterruptedException {
        Map<Long, String> names = new HashMap<>();
        for (String line : OrchestratorProcess.jcmd(pid, "Thread.print").split("\n")) {
            Matcher m = JAVA_THREAD.matcher(line);
            if (m.find()) {
                String nid = m.group(2);
                names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
            }
        }
        return names;
    }

    /** The group a thread's CPU counts in. */
    static String group(String name) {
        if (name.startsWith("kafka-producer-network-thread") || name.startsWith("consumer_background_thread")
                || name.contains("heartbeat-thread")) {
            return "producer/consumer I/O";
        }
        if (name.contains("GlobalStreamThread")) {
            return "global thread";
        }
        if (name.contains("-StreamThread-")) {
            return "stream threads";
        }
        if (name.startsWith("rocksdb")) {
            return "RocksDB (rocksdb:*)";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "GC";
        }
        if (jit(name)) {
            return "JIT (C1/C2)";
        }
        return "other";
    }

    /** The groups of the benchmark JVM's table (HTTP phases), in its order. */
    static final List<String> BENCH_GROUPS = List.of("adapter: HTTP server", "adapter: result listener",
            "Kafka clients I/O (adapter, workers)", "broker", "load: HTTP callers", "load: pacer (main)", "GC", "JIT (C1/C2)",
            "other", "exited during the phase");

    /** The group a thread of the benchmark JVM counts in: the in-process adapter, the broker, or the load generator. */
    static String benchGroup(String name) {
        if (name.startsWith("edgestop-adapter-http") || name.startsWith("HTTP-Dispatcher")) {
            return "adapter: HTTP server";
        }
        if (name.startsWith("edgestop-adapter-results")) {
            return "adapter: result listener";
        }
        if (name.startsWith("bench-http-caller-")) {
            return "load: HTTP callers";
        }
        if (name.equals("main")) {
            return "load: pacer (main)";
        }
        String common = group(name);
        if (common.equals("producer/consumer I/O")) {
            return "Kafka clients I/O (adapter, workers)";
        }
        if (!common.equals("other")) {
            return common;
        }
        for (String broker : List.of("data-plane-", "kafka-", "broker-", "raft", "quorum", "controller", "ExpirationReaper",
                "ReplicaFetcher", "LogDirFailureHandler", "group-coordinator", "share-coordinator", "TxnMarkerSender",
                "transaction-", "kafka-log-cleaner", "feature-", "metadata-", "event-handler", "client-metrics")) {
            if (name.startsWith(broker)) {
                return "broker";
            }
        }
        return "other";
    }

    /** CPU by group between two samples of one process; threads gone by the end count as "exited during the phase". */
    static Usage usage(String phase, long commands, double seconds, Sample before, Sample after) {
        return usage(phase, commands, seconds, before, after, GROUPS, ThreadCpu::group);
    }

    /** {@link #usage(String, long, double, Sample, Sample)} with other groups (the last one: threads that exited). */
    static Usage usage(String phase, long commands, double seconds, Sample before, Sample after, List<String> groups,
                       java.util.function.UnaryOperator<String> grouping) {
        Map<String, Double> byGroup = new LinkedHashMap<>();
        groups.forEach(g -> byGroup.put(g, 0.0));
        long threads = 0;
        for (Map.Entry<Long, Long> e : after.ticks().entrySet()) {
            long delta = e.getValue() - before.ticks().getOrDefault(e.getKey(), 0L);
            threads += delta;
            byGroup.merge(grouping.apply(after.names().get(e.getKey())), delta / HZ, Double::sum);
        }
        long process = after.processTicks() - before.processTicks();
        byGroup.put("exited during the phase", Math.max(0, process - threads) / HZ);
        return new Usage(phase, commands, seconds, byGroup, process / HZ);
    }

    /** One column per phase: CPU per command (us) and cores busy, by group, then the whole process. */
    static String table(List<Usage> phases) {
        return table("orchestrator CPU by thread group", GROUPS, phases);
    }

    /** {@link #table(List)} under another title, with other groups. */
    static String table(String title, List<String> groups, List<Usage> phases) {
        StringBuilder sb = new StringBuilder();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-40s", title));
        for (Usage u : phases) {
            header.append(String.format(Locale.ROOT, " %34s", u.phase() + " (" + u.commands() + ")"));
        }
        sb.append(header).append('\n');
        sb.append(String.format(Locale.ROOT, "%-40s", ""));
        phases.forEach(u -> sb.append(String.format(Locale.ROOT, " %34s", "us/command   cores   share")));
        sb.append('\n').append("-".repeat(header.length())).append('\n');
        for (String g : groups) {
            sb.append(String.format(Locale.ROOT, "%-40s", g));
            phases.forEach(u -> sb.append(cell(u, u.cpuSeconds().get(g))));
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%-40s", "= whole process (/proc/PID/stat)"));
        phases.forEach(u -> sb.append(cell(u, u.processSeconds())));
        return sb.append('\n').toString();
    }

    private static String cell(Usage u, double cpu) {
        return String.format(Locale.ROOT, " %34s", String.format(Locale.ROOT, "%10.1f %7.2f %6.0f%%",
                cpu * 1e6 / Math.max(1, u.commands()), cpu / u.seconds(), 100 * cpu / Math.max(1e-9, u.processSeconds())));
    }

    /** The groups of one phase as "stream threads 180 us, RocksDB 40 us, ..." (largest first), for one table cell. */
    static String brief(Usage u) {
        StringBuilder sb = new StringBuilder();
        u.cpuSeconds().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() > 0)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f us",
                        e.getKey(), e.getValue() * 1e6 / Math.max(1, u.commands()))));
        return sb.toString();
    }
}
