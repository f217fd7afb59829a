package io.edgestop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * A long run at the fixed rate with the run's mix and the edge workers running; every minute one
 * line: decision and completion latency percentiles of the results received that minute, where the
 * slowest decisions were sent, the orchestrator's cores busy, its heap after its last GC, its GC pauses
 * and its RSS, so a leak, a slow drift, a stall or a saturated core shows.
 */
final class SoakBench {

    /** The per-minute lines and figures, and the whole run's decision and completion rows. */
    record Result(List<String> minutes, List<Minute> figures, Bench.Row decisions, Bench.Row completions) {
    }

    /** One minute: the decision p99 of the results received in it (NaN for none) and the RSS at its end. */
    record Minute(double decisionP99Ms, long rssMiB) {
    }

    private final List<Minute> figures = new ArrayList<>();
    /**
     * The orchestrator's and this JVM's (broker, load, workers: the other core) CPU seconds and this JVM's GC time at the
     * previous line, and when they were read: the minute's cores busy and GC, to tell a stall from a saturated core.
     */
    private double lastCpuSeconds;
    private double lastOwnCpuSeconds;
    private long lastOwnGcMillis;
    private long lastNanos;

    private final PipelineBench pipeline;
    private final ResultCollector results;
    private final OrchestratorProcess orchestrator;
    private final Workload workload;

    SoakBench(PipelineBench pipeline, ResultCollector results, OrchestratorProcess orchestrator, Workload workload) {
        this.pipeline = pipeline;
        this.results = results;
        this.orchestrator = orchestrator;
        this.workload = workload;
    }

    static String header() {
        return String.format(Locale.ROOT, "%-8s %8s %27s %9s %27s %11s %12s %14s %8s %8s %10s  %s", "minute", "decided",
                "decision p50/p99/p99.9 ms", "completed", "completion p50/p99/p99.9 ms", "cores o/b", "heap MiB", "GC pauses/max",
                "b GC ms", "RSS MiB", "fresh jobs", "where the decisions above the minute's p99 were sent");
    }

    Result run(int minutes, double rate) throws Exception {
        results.reset(true);
        orchestrator.gcLog().next(); // the minutes count from here
        lastCpuSeconds = orchestrator.cpuSeconds();
        lastOwnCpuSeconds = ThreadCpu.processSeconds(ProcessHandle.current().pid());
        lastOwnGcMillis = ownGcMillis();
        lastNanos = System.nanoTime();
        List<String> lines = new ArrayList<>();
        lines.add(header());
        System.out.println(header());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        int[] minute = {0};
        Runnable report = () -> {
            String line = line(Integer.toString(++minute[0]));
            synchronized (lines) {
                lines.add(line);
            }
            System.out.println(line);
        };
        clock.scheduleAtFixedRate(report, 60, 60, TimeUnit.SECONDS);
        int count = (int) (rate * 60 * minutes);
        PipelineBench.Sent sent;
        try {
            sent = pipeline.send(count, rate, workload.mix);
            results.awaitDecided(count, Duration.ofSeconds(60));
            results.awaitCompleted(results.codes().getOrDefault("OK", 0L), Duration.ofSeconds(60));
        } finally {
            clock.shutdown();
            clock.awaitTermination(60, TimeUnit.SECONDS);
        }
        String tail = line("rest");
        lines.add(tail);
        System.out.println(tail);
        String schedule = sent.scheduleNote().isEmpty() ? "" : "; " + sent.scheduleNote();
        Bench.Row decisions = Bench.Row.latency("soak " + minutes + " min @" + (int) rate + "/s, command->decision",
                results.decided(), Bench.perSecond(results.decided(), sent.startNanos(), results.lastResultNanos()),
                results.latencies().snapshot()).withNote(results.codes() + schedule);
        Bench.Row completions = Bench.Row.latency("soak " + minutes + " min @" + (int) rate + "/s, command->COMPLETED",
                results.completed(), Bench.perSecond(results.completed(), sent.startNanos(), results.lastCompletionNanos()),
                results.completions().snapshot()).withNote(results.timedOut() > 0 ? "TIMED_OUT " + results.timedOut() : "");
        List<Minute> whole;
        synchronized (figures) {
            whole = List.copyOf(figures);
        }
        return new Result(lines, whole, decisions, completions);
    }

    /**
     * The results since the previous line; the heap after the orchestrator's last GC and its GC pauses since the previous
     * line, from its GC log (not a forced full GC: that stopped the orchestrator once a minute).
     */
    private String line(String label) {
        Histogram d = results.latencies().interval();
        String tail = results.timeline().tailAndClear(99, 2);
        Histogram c = results.completions().interval();
        String memory;
        long rss = -1;
        try {
            double cpu = orchestrator.cpuSeconds();
            double own = ThreadCpu.processSeconds(ProcessHandle.current().pid());
            long ownGc = ownGcMillis();
            long now = System.nanoTime();
            double seconds = (now - lastNanos) / 1e9;
            String cores = String.format(Locale.ROOT, "%.2f / %.2f", (cpu - lastCpuSeconds) / seconds, (own - lastOwnCpuSeconds) / seconds);
            lastCpuSeconds = cpu;
            lastOwnCpuSeconds = own;
            long gcMillis = ownGc - lastOwnGcMillis;
            lastOwnGcMillis = ownGc;
            lastNanos = now;
            GcLog.Stretch gc = orchestrator.gcLog().next();
            rss = orchestrator.rssMiB();
            memory = String.format(Locale.ROOT, "%11s %12s %14s %8d %8d", cores, gc.afterMiB() + " of " + gc.committedMiB(),
                    gc.pauses() + " / " + (gc.pauses() == 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", gc.longestPauseMs())),
                    gcMillis, rss);
        } catch (Exception e) {
            memory = "unknown: " + e;
        }
        if (!"rest".equals(label)) {
            synchronized (figures) {
                figures.add(new Minute(d.getTotalCount() == 0 ? Double.NaN : d.getValueAtPercentile(99) / 1000.0, rss));
            }
        }
        return String.format(Locale.ROOT, "%-8s %8d %27s %9d %27s %57s %10d  %s", label, d.getTotalCount(), pct(d),
                c.getTotalCount(), pct(c), memory, workload.freshJobsLeft(), tail);
    }

    /** This JVM's time in GC so far (the broker, the load and the workers stop with it). */
    private static long ownGcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static String pct(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0);
    }
}
