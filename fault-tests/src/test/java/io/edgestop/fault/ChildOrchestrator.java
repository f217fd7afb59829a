package io.edgestop.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An orchestrator in its own JVM: {@code java -cp <this test's class path> io.edgestop.orchestrator.OrchestratorMain
 * --set key=value ...}, output appended to a log file.
 */
final class ChildOrchestrator {

    /** Exit status of a process killed by SIGKILL, as Java reports it on Linux (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    private final Process process;
    private final Path log;

    private ChildOrchestrator(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildOrchestrator start(Map<String, String> settings, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + Path.of(logback).resolveSibling("child-logback.xml"));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.edgestop.orchestrator.OrchestratorMain");
        settings.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // never leave an orchestrator behind if the test JVM itself dies
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "kill-child-orchestrator-" + p.pid()));
        return new ChildOrchestrator(p, log);
    }

    /** Waits until OrchestratorMain reports RUNNING (its "orchestrator running" line). */
    void awaitRunning(Duration timeout) throws IOException {
        try {
            awaitRunningOnce(timeout);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("child orchestrator not RUNNING within " + timeout + "; last lines of " + log + ":\n"
                    + logTail(), e);
        }
    }

    private void awaitRunningOnce(Duration timeout) {
        await("child orchestrator RUNNING (log " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("child orchestrator exited with " + process.exitValue() + ": " + logTail());
                    }
                    return logText().contains("orchestrator running");
                });
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Process.destroyForcibly(): SIGKILL on Linux, no shutdown hook runs. Returns the exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " survived destroyForcibly()");
        }
        return process.exitValue();
    }

    /** For cleanup: kill if still alive. */
    void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of the child's log, for failure messages. */
    String logTail() throws IOException {
        String[] lines = logText().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    /** Where child logs go: target/fault-logs (kept after the run). */
    static Path logFile(String name) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("fault-logs");
        Files.createDirectories(dir);
        return dir.resolve(name);
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
