package io.edgestop.orchestrator.runtime;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.edgestop.schema.Outcome;

/**
 * The orchestrator's own meters (Kafka Streams' client metrics are bound next to them by
 * {@code Orchestrator}). Recorded where things happen, in the topology's processors; Micrometer
 * rather than Streams sensors because the meters carry labels (outcome, code) and the latency is a
 * Prometheus histogram, which adds up across instances where a sensor's percentiles do not.
 */
public final class OrchestratorMetrics {

    /** The {@code code} label of an accepted decision, as the adapter labels its successful requests. */
    public static final String SUCCESS = "Success";

    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter redeliveries;
    private final Counter timeouts;
    private final Counter deadLetters;
    private final Counter streamThreadFailures;
    private final Counter invalidPolicies;
    /** The decisions counter of each outcome and code, registered once (registering looks the meter up again). */
    private final Map<Outcome, Map<String, Counter>> decisions = new EnumMap<>(Outcome.class);

    public OrchestratorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("edgestop.orchestrator.decision.latency")
                .description("Time from a command's timestamp (the adapter's send) to its decision")
                .serviceLevelObjectives(ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
                        ms(1000), ms(2500), ms(5000), ms(10_000), ms(30_000))
                .register(registry);
        this.redeliveries = Counter.builder("edgestop.orchestrator.redeliveries")
                .description("Directives sent again because the stop was not confirmed by its deadline").register(registry);
        this.timeouts = Counter.builder("edgestop.orchestrator.timeouts")
                .description("Stops ended TIMED_OUT after their last attempt").register(registry);
        this.deadLetters = Counter.builder("edgestop.orchestrator.dead.letters")
                .description("Undecodable job-state records sent to the dead-letter topic by the global store "
                        + "(Kafka Streams counts its own in kafka_stream_task_dropped_records_total)")
                .register(registry);
        this.streamThreadFailures = Counter.builder("edgestop.orchestrator.stream.thread.failures")
                .description("Stream threads that died (e.g. an output that could not be written) and were replaced")
                .register(registry);
        this.invalidPolicies = Counter.builder("edgestop.orchestrator.policies.invalid")
                .description("Policy documents loaded from account-policies that cannot be evaluated (their principal is denied)")
                .register(registry);
        for (Outcome outcome : Outcome.values()) {
            decisions.put(outcome, new ConcurrentHashMap<>());
        }
    }

    /** 1 when the instance signs audit checkpoints, 0 when it writes the chains without (no audit.checkpoint.key.file). */
    public void signsAuditCheckpoints(boolean signs) {
        Gauge.builder("edgestop.orchestrator.audit.checkpoint.signing", () -> signs ? 1 : 0)
                .description("1 when this instance signs audit checkpoints; 0: audit.checkpoint.key.file is not set, the audit"
                        + " chains are written without signed checkpoints (docs/audit.md)")
                .register(registry);
    }

    /** Meters kept nowhere: for topologies built without a running orchestrator (tests, tools). */
    public static OrchestratorMetrics discarded() {
        return new OrchestratorMetrics(new SimpleMeterRegistry());
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos((long) (millis * 1_000_000));
    }

    /** A decision (ACCEPTED, joined or not, or REJECTED with its code) on a command stamped {@code commandTs}. */
    public void decided(Outcome outcome, String code, long commandTs) {
        decisions.get(outcome).computeIfAbsent(code == null ? SUCCESS : code, c -> Counter.builder("edgestop.orchestrator.decisions")
                .description("Commands decided, by outcome and error code (Success when accepted)")
                .tag("outcome", outcome.name()).tag("code", c)
                .register(registry)).increment();
        latency.record(Math.max(0, System.currentTimeMillis() - commandTs), TimeUnit.MILLISECONDS);
    }

    /**
     * One job query answered by this instance's endpoint: the action, the code ({@code Success} or the
     * error's) and how it was served ({@code owner}: from the account's active task here, {@code forwarded}:
     * by the instance owning it, {@code standby}: from what this instance holds for an owner that could
     * not answer, {@code none}: not served, e.g. a rebalance).
     */
    public void jobQuery(String action, String code, String servedBy) {
        Counter.builder("edgestop.orchestrator.job.queries")
                .description("GetEdgeTranscodeJob / ListEdgeTranscodeJob queries answered by this instance's query endpoint")
                .tag("action", action).tag("code", code).tag("served_by", servedBy)
                .register(registry).increment();
    }

    public void redelivered() {
        redeliveries.increment();
    }

    public void timedOut() {
        timeouts.increment();
    }

    public void deadLettered() {
        deadLetters.increment();
    }

    public void streamThreadFailed() {
        streamThreadFailures.increment();
    }

    public void invalidPolicy() {
        invalidPolicies.increment();
    }

    /** The stops in flight of one task, while the task's decider lives; the returned gauge is removed on close. */
    public <T> Gauge pendingStops(String task, T pending, ToDoubleFunction<T> size) {
        return Gauge.builder("edgestop.orchestrator.pending.stops", pending, size)
                .description("Stops accepted and not yet completed or timed out, by task")
                .tag("task", task).register(registry);
    }

    public void remove(Gauge gauge) {
        registry.remove(gauge);
    }
}
