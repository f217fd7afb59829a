package io.edgestop.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Any main class in its own JVM, started with this test's class path through {@link ChildMain} (which
 * halts the child when the test JVM goes away), output appended to a log file under
 * {@code target/fault-logs}. The test kills it with {@link #kill()} (SIGKILL) and always calls
 * {@link #close()} in a finally block; a shutdown hook of the test JVM kills it too.
 */
final class ChildJvm implements AutoCloseable {

    /** Exit status of a process killed by SIGKILL, as Java reports it on Linux (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killHook;

    private ChildJvm(String name, Process process, Path log, Thread killHook) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.killHook = killHook;
    }

    /**
     * @param name          for messages
     * @param heap          the child's -Xmx, e.g. "256m"
     * @param logbackConfig a logback file next to the test's fault-logback.xml (e.g. "child-logback.xml")
     */
    static ChildJvm start(String name, String mainClass, List<String> args, Path log, String heap, String logbackConfig)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + Path.of(logback).resolveSibling(logbackConfig));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // never leave a child behind if the test JVM exits without reaching its finally block
        Thread hook = new Thread(p::destroyForcibly, "kill-child-" + name + "-" + p.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        return new ChildJvm(name, p, log, hook);
    }

    /** Where child logs go: target/fault-logs (kept after the run). */
    static Path logFile(String fileName) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("fault-logs");
        Files.createDirectories(dir);
        return dir.resolve(fileName);
    }

    /** Waits until the child's output has a line containing {@code text}; returns that line. Fails if the child exits. */
    String awaitLine(String text, Duration timeout) throws IOException {
        try {
            await(name + " prints '" + text + "' (log " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
                        }
                        return line(text) != null;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(name + " did not print '" + text + "' within " + timeout + "; last lines of " + log
                    + ":\n" + logTail(), e);
        }
        return line(text);
    }

    /** The first complete line of the output containing {@code text}, or null. */
    String line(String text) throws IOException {
        for (String l : completeLines()) {
            if (l.contains(text)) {
                return l;
            }
        }
        return null;
    }

    /** How many lines of the output contain {@code text}. */
    long count(String text) throws IOException {
        return Arrays.stream(completeLines()).filter(l -> l.contains(text)).count();
    }

    /**
     * The output's lines that end with their newline. The child's output buffer can be written out mid-line
     * when it fills up, and a line read before its rest arrives says less than the child printed (a CI run read
     * {@code child broker ready localhost:44253 resumed=} and failed).
     */
    private String[] completeLines() throws IOException {
        String out = logText();
        return out.substring(0, out.lastIndexOf('\n') + 1).split("\n");
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Process.destroyForcibly(): SIGKILL on Linux, no shutdown hook of the child runs. Returns the exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") survived destroyForcibly()");
        }
        return process.exitValue();
    }

    /** Process.destroy(): SIGTERM, the child's shutdown hooks run. Waits for the exit and returns its status. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** For cleanup: kill if still alive (idempotent). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killHook);
        } catch (IllegalStateException e) {
            // the test JVM is shutting down already: the hook runs anyway
        }
    }

    /** The last lines of the child's output, for failure messages. */
    String logTail() throws IOException {
        String[] lines = logText().split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    Path log() {
        return log;
    }
}
