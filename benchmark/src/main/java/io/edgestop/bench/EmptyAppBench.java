package io.edgestop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One yardstick phase: an {@link EmptyStreamsApp} of one shape in a JVM of its own, on its own
 * topics, with the orchestrator's settings, on the orchestrator's core; records timed from produce to
 * read back (read_committed, from the first output topic) at the latency rate, at the CPU phase's rate and
 * flat out, with the app's CPU per input record in the last two: the orchestrator's pipeline phases, in the same order.
 */
final class EmptyAppBench {

    /**
     * The rows at the latency rate, at the CPU phase's rate (null if none) and flat out; the app JVM's CPU per input
     * record at the CPU phase's rate (NaN if none) and flat out; the cores it ran on; its RSS after the phases and
     * where that memory is ({@link OrchestratorProcess#memoryBreakdown}).
     */
    record Result(Bench.Row atRate, Bench.Row atFixed, double fixedCpuMicrosPerRecord, Bench.Row flatOut, double cpuMicrosPerRecord,
            String cores, long rssMiB, String memory) {
    }

    private final Cores cores;
    private final RawKafkaBench raw;
    private final Map<String, String> settings;
    private final String heap;
    private final Path work;
    private final int partitions;
    private final int recordBytes;

    EmptyAppBench(Cores cores, RawKafkaBench raw, Map<String, String> orchestratorSettings, String heap, Path work, int partitions,
            int recordBytes) {
        this.cores = cores;
        this.raw = raw;
        this.settings = orchestratorSettings;
        this.heap = heap;
        this.work = work;
        this.partitions = partitions;
        this.recordBytes = recordBytes;
    }

    /**
     * Runs the app of {@code shape} from {@code in} to {@code out}: a warm-up of {@code flat} records flat out (the
     * orchestrator's phases follow a warm-up of several rounds, so a short one left the app's JIT busy in the measured
     * phases), {@code fixed} records at {@code rate}, {@code fixedRate} for {@code fixedSeconds} (none if 0) and
     * {@code flat} flat out.
     */
    Result run(EmptyStreamsApp.Shape shape, String in, String out, double rate, int fixed, double fixedRate, int fixedSeconds,
            int flat) throws Exception {
        Map<String, String> appSettings = new HashMap<>(settings);
        appSettings.put("application.id", settings.get("application.id") + "-empty-" + shape.arg);
        appSettings.put("state.dir", work.resolve("empty-" + shape.arg).toString());
        List<String> args = new ArrayList<>(List.of(shape.arg, in, out));
        appSettings.forEach((k, v) -> args.add(k + "=" + v));
        Path log = work.resolve("empty-" + shape.arg + ".log");
        try (OrchestratorProcess app = OrchestratorProcess.startMain(cores, EmptyStreamsApp.class.getName(), args, heap, List.of(),
                raw.env().kafka(), log)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains(EmptyStreamsApp.RUNNING)) {
                if (System.nanoTime() > deadline || !app.alive()) {
                    throw new IllegalStateException("the empty Streams app (" + shape.arg + ") did not start: " + log);
                }
                Thread.sleep(100);
            }
            String name = "empty Streams app, " + shape.arg + ", in->out";
            raw.roundTrip("warm-up", in, out, partitions, 0, flat, recordBytes);
            Bench.Row atRate = raw.roundTrip(name + " @" + (int) rate + "/s", in, out, partitions, rate, fixed, recordBytes);
            CpuPhase atFixed = fixedRate > 0 ? cpuPhase(app, shape, name + " @" + (int) fixedRate + "/s (CPU)", in, out, fixedRate,
                    (int) (fixedRate * fixedSeconds), "") : null;
            String on = Cores.allowed(app.pid());
            CpuPhase flatOut = cpuPhase(app, shape, name + ", flat out", in, out, 0, flat, ", app on core " + on);
            return new Result(atRate, atFixed == null ? null : atFixed.row(), atFixed == null ? Double.NaN : atFixed.micros(),
                    flatOut.row(), flatOut.micros(), on, app.rssMiB(), app.memoryBreakdown());
        }
    }

    /** A phase's row, its note led by the app's CPU per input record over it, and that figure. */
    private record CpuPhase(Bench.Row row, double micros) {
    }

    /** {@code records} at {@code rate} (0 = flat out) between two readings of the app's CPU; {@code where} follows the figure. */
    private CpuPhase cpuPhase(OrchestratorProcess app, EmptyStreamsApp.Shape shape, String name, String in, String out, double rate,
            int records, String where) throws Exception {
        double cpu0 = app.cpuSeconds();
        Bench.Row row = raw.roundTrip(name, in, out, partitions, rate, records, recordBytes);
        double micros = (app.cpuSeconds() - cpu0) * 1e6 / Math.max(1, row.count());
        return new CpuPhase(row.withNote(String.format(java.util.Locale.ROOT, "%.1f us CPU per input record (%d records written per"
                + " input)%s%s", micros, shape.fanOut, where, row.note().isEmpty() ? "" : "; " + row.note())), micros);
    }
}
