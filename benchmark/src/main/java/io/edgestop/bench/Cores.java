package io.edgestop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where each part of a run runs: with pinning, the orchestrator JVM (and each yardstick app in its
 * place) on a core of its own, so "flat out" is one core's capacity; the benchmark JVM (load
 * generator, embedded broker, in-process adapter and workers) on every other core. Uses
 * {@code taskset}; the JVMs see their allowed cores, so the orchestrator's default stream threads
 * (= cores) become one.
 */
final class Cores {

    private final int orchestratorCore;
    private final String otherCores;

    private Cores(int orchestratorCore, String otherCores) {
        this.orchestratorCore = orchestratorCore;
        this.otherCores = otherCores;
    }

    /** No pinning: every part may run anywhere. */
    static Cores none() {
        return new Cores(-1, null);
    }

    /** The orchestrator on {@code core}, this JVM on all the other online cores ({@code cores} of them in all). */
    static Cores pinned(int core, int cores) {
        if (core < 0 || core >= cores) {
            throw new IllegalArgumentException("--orchestrator-core must be 0.." + (cores - 1) + ": " + core);
        }
        StringBuilder others = new StringBuilder();
        for (int c = 0; c < cores; c++) {
            if (c != core) {
                others.append(others.length() == 0 ? "" : ",").append(c);
            }
        }
        return new Cores(core, others.toString());
    }

    boolean pinning() {
        return orchestratorCore >= 0;
    }

    /** The command prefix that starts a process on the orchestrator's core (empty without pinning). */
    List<String> orchestratorPrefix() {
        return pinning() ? List.of("taskset", "-c", Integer.toString(orchestratorCore)) : List.of();
    }

    /** Moves every thread of this JVM (and so the threads it starts later) to the other cores. */
    void pinThisJvm() throws IOException, InterruptedException {
        if (!pinning()) {
            return;
        }
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", otherCores, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset failed: " + out);
        }
    }

    /** The cores a process may run on, as the kernel has them ({@code Cpus_allowed_list}). */
    static String allowed(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
