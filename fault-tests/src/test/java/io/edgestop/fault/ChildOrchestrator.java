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
            cmd.add("-Dlogback.configurationFile=" + logback);
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
        return new ChildOrchestrator(p, log);
    }

    /** Waits until OrchestratorMain reports RUNNING (its "orchestrator running" line). */
    void awaitRunning(Duration timeout) {
        await("child orchestrator RUNNING (log " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("child orchestrator exited with " + process.exitValue() + ": " + logText());
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

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
