package io.edgestop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.launcher.Settings;

/**
 * The orchestrator in a JVM of its own (as in production), so its CPU and heap are its alone:
 * CPU from /proc/&lt;pid&gt;/stat, heap from {@code jcmd GC.heap_info} after a full GC.
 */
final class OrchestratorProcess implements AutoCloseable {

    private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    /** {@code edge-stop orchestrator}'s environment prefix; {@link EmptyStreamsApp} reads its client settings the same way. */
    static final String ENV_PREFIX = Settings.ORCHESTRATOR.envPrefix();
    /** Logging of the JVMs started here: every WARN and ERROR, in the pattern {@link LogScan} reads. */
    private static final String COMPONENT_LOGBACK = componentLogback();

    private final Process process;
    private final Path log;
    private final GcLog gcLog;

    private OrchestratorProcess(Process process, Path log, GcLog gcLog) {
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
    }

    /**
     * The setting, not passed on, that runs a variant's orchestrator from another class path: another build's
     * {@code launcher/target/edge-stop.jar} (its manifest names its lib/), so two versions of the code are compared
     * side by side in one run.
     */
    static final String CLASSPATH = "orchestrator.classpath";

    /** The orchestrator's settings on its command line, its Kafka client settings (secrets) in its environment. */
    static OrchestratorProcess start(Cores cores, String maxHeap, List<String> jvmArgs, Map<String, String> settings,
            KafkaClientSettings kafka, Path log) throws IOException {
        // no admin port unless the settings ask: the benchmark reads CPU and heap from outside
        List<String> args = new ArrayList<>(List.of("orchestrator", "--admin-port", "-1"));
        settings.forEach((k, v) -> {
            if (!k.equals(CLASSPATH)) {
                args.add("--set");
                args.add(k + "=" + v);
            }
        });
        return startMain(cores, settings.getOrDefault(CLASSPATH, System.getProperty("java.class.path")), EdgeStopCli.class.getName(),
                args, maxHeap, jvmArgs, kafka, log);
    }

    /**
     * Any main class of this class path in a JVM of its own on the orchestrator's core, output to {@code log}
     * with every WARN and ERROR line (component-logback.xml).
     */
    static OrchestratorProcess startMain(Cores cores, String mainClass, List<String> args, String maxHeap, List<String> jvmArgs,
            KafkaClientSettings kafka, Path log) throws IOException {
        return startMain(cores, System.getProperty("java.class.path"), mainClass, args, maxHeap, jvmArgs, kafka, log);
    }

    private static OrchestratorProcess startMain(Cores cores, String classPath, String mainClass, List<String> args, String maxHeap,
            List<String> jvmArgs, KafkaClientSettings kafka, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(cores.orchestratorPrefix());
        // NMT's summary (a few percent of JVM-internal mallocs, not RocksDB's) gives the RSS row its breakdown
        cmd.addAll(List.of(java, "-Xmx" + maxHeap, "-XX:+UseG1GC", "-XX:NativeMemoryTracking=summary"));
        String name = log.getFileName().toString();
        GcLog gcLog = new GcLog(log.resolveSibling(name.replaceFirst("\\.log$", "") + "-gc.log"));
        cmd.add(gcLog.option());
        cmd.addAll(jvmArgs);
        cmd.add("-Dlogback.configurationFile=" + COMPONENT_LOGBACK);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // as ./edge-stop runs it: glibc's per-thread malloc arenas fragment RocksDB's native memory (RSS)
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        pb.environment().putAll(kafka.toEnvironment(ENV_PREFIX));
        Process p = pb.start();
        return new OrchestratorProcess(p, log, gcLog);
    }

    /** True once the orchestrator printed that Kafka Streams is RUNNING (its global job-state store restored to the end). */
    boolean running() throws IOException {
        return Files.exists(log) && Files.readString(log).contains("orchestrator RUNNING");
    }

    private static String componentLogback() {
        var url = OrchestratorProcess.class.getResource("/component-logback.xml");
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("component-logback.xml is not a file on the class path: " + url);
        }
        return Path.of(java.net.URI.create(url.toString())).toString();
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** CPU seconds (user + system) used so far. */
    double cpuSeconds() throws IOException {
        return ThreadCpu.processSeconds(process.pid());
    }

    /** Resident set size of the process in MiB (heap + RocksDB and other native memory), -1 if unknown. */
    long rssMiB() throws IOException {
        long kb = statusKb("VmRSS");
        return kb < 0 ? -1 : kb / 1024;
    }

    /** One kB field of {@code /proc/PID/status} (VmRSS, RssAnon, RssFile), -1 if absent. */
    private long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static final Pattern NMT_CATEGORY = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /**
     * Where the resident memory is: the JVM's own committed memory by Native Memory Tracking category (heap, GC,
     * metaspace and class space, code, the rest), the anonymous memory outside it (RocksDB's block cache and
     * memtables, other native libraries, the allocator's overhead) and mapped files (the JVM's and RocksDB's
     * libraries, the class-data archive). Committed is an upper bound of resident (G1 commits what it has not
     * touched yet), so "outside" is a lower bound, 0 when the JVM's committed memory exceeds the anonymous RSS.
     */
    String memoryBreakdown() throws IOException, InterruptedException {
        Map<String, Long> kb = new java.util.LinkedHashMap<>();
        Matcher m = NMT_CATEGORY.matcher(jcmd(pid(), "VM.native_memory", "summary"));
        while (m.find()) {
            kb.put(m.group(1).trim(), Long.parseLong(m.group(2)));
        }
        if (kb.isEmpty()) {
            return "no NMT summary";
        }
        long anon = statusKb("RssAnon");
        long file = statusKb("RssFile");
        long heap = kb.getOrDefault("Java Heap", 0L);
        long gc = kb.getOrDefault("GC", 0L);
        long classes = kb.getOrDefault("Metaspace", 0L) + kb.getOrDefault("Class", 0L);
        long code = kb.getOrDefault("Code", 0L);
        long shared = kb.getOrDefault("Shared class space", 0L); // mapped from the JDK's archive: counted as a file
        long jvm = kb.values().stream().mapToLong(Long::longValue).sum() - shared;
        return String.format(java.util.Locale.ROOT, "anonymous %d MiB = JVM %d (heap %d, GC %d, classes %d, code %d, other %d)"
                + " + outside the JVM >= %d (RocksDB, allocator); mapped files %d MiB", anon / 1024, jvm / 1024, heap / 1024,
                gc / 1024, classes / 1024, code / 1024, (jvm - heap - gc - classes - code) / 1024, Math.max(0, anon - jvm) / 1024, file / 1024);
    }

    /** The JVM's GC log, read a stretch at a time. */
    GcLog gcLog() {
        return gcLog;
    }

    /** Heap used after a full GC, and the heap's committed size, in MiB. */
    long[] heapAfterGcMiB() throws IOException, InterruptedException {
        jcmd(pid(), "GC.run");
        String out = jcmd(pid(), "GC.heap_info");
        Matcher m = USED.matcher(out);
        if (!m.find()) {
            return new long[] {-1, -1};
        }
        return new long[] {Long.parseLong(m.group(2)) / 1024, Long.parseLong(m.group(1)) / 1024};
    }

    /**
     * The JVM option that starts JFR, recording nothing, with the process. JFR's first start in a JVM redefines the
     * JDK's file and socket classes (JDK 17), which throws compiled code away: started in the flat-out phase, it
     * cost half the pinned core in recompilation and the phase ran at a third of its rate (docs/benchmarks.md).
     */
    static String jfrSetUp(Path work) throws IOException {
        return "-XX:StartFlightRecording=name=jfr-set-up,settings=" + settingsFile(work, "jfr-init.jfc");
    }

    /** Starts a JFR recording of Java and native method samples only ({@code cpu-samples.jfc}). */
    void startProfile(Path work) throws IOException, InterruptedException {
        jcmd(pid(), "JFR.start", "name=bench-profile", "settings=" + settingsFile(work, "cpu-samples.jfc"));
    }

    /** A JFR settings file of the benchmark's resources, written to {@code work} (JFR reads settings from files). */
    private static Path settingsFile(Path work, String name) throws IOException {
        Path file = work.resolve(name);
        try (var in = OrchestratorProcess.class.getResourceAsStream("/" + name)) {
            Files.write(file, Objects.requireNonNull(in, name).readAllBytes());
        }
        return file.toAbsolutePath();
    }

    /** Stops the recording {@link #startProfile(Path)} started and writes it to {@code file}. */
    void stopProfile(Path file) throws IOException, InterruptedException {
        String out = jcmd(pid(), "JFR.stop", "name=bench-profile", "filename=" + file.toAbsolutePath());
        if (!Files.exists(file)) {
            throw new IOException("JFR.stop wrote no " + file + ": " + out);
        }
    }

    /** {@code jcmd PID COMMAND...}: its output. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the orchestrator closes cleanly
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
