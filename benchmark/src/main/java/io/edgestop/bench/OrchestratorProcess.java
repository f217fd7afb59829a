package io.edgestop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private final Process process;
    private final Path log;

    private OrchestratorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The orchestrator's settings on its command line, its Kafka client settings (secrets) in its environment. */
    static OrchestratorProcess start(String maxHeap, List<String> jvmArgs, Map<String, String> settings, KafkaClientSettings kafka,
            Path log) throws IOException {
        // no admin port unless the settings ask: the benchmark reads CPU and heap from outside
        List<String> args = new ArrayList<>(List.of("orchestrator", "--admin-port", "-1"));
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        return startMain(EdgeStopCli.class.getName(), args, maxHeap, jvmArgs, kafka, log);
    }

    /** Any main class of this class path in a JVM of its own, output to {@code log}. */
    static OrchestratorProcess startMain(String mainClass, List<String> args, String maxHeap, List<String> jvmArgs,
            KafkaClientSettings kafka, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:+UseG1GC"));
        cmd.addAll(jvmArgs);
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // as ./edge-stop runs it: glibc's per-thread malloc arenas fragment RocksDB's native memory (RSS)
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        pb.environment().putAll(kafka.toEnvironment(ENV_PREFIX));
        Process p = pb.start();
        return new OrchestratorProcess(p, log);
    }

    /** True once the orchestrator printed that Kafka Streams is RUNNING (its global job-state store restored to the end). */
    boolean running() throws IOException {
        return Files.exists(log) && Files.readString(log).contains("orchestrator RUNNING");
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** CPU seconds (user + system) used so far. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        return ticks / 100.0;
    }

    /** Resident set size of the process in MiB (heap + RocksDB and other native memory), -1 if unknown. */
    long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** Heap used after a full GC, and the heap's committed size, in MiB. */
    long[] heapAfterGcMiB() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid()), "GC.run");
        String out = run(jcmd, Long.toString(pid()), "GC.heap_info");
        Matcher m = USED.matcher(out);
        if (!m.find()) {
            return new long[] {-1, -1};
        }
        return new long[] {Long.parseLong(m.group(2)) / 1024, Long.parseLong(m.group(1)) / 1024};
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
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
