package io.edgestop.edge;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The worker's own meters; its Kafka clients' metrics (consumer lag among them) are bound next to them. */
final class WorkerMetrics {

    private final Counter stops;
    private final Counter failures;
    private final Timer reportLatency;

    WorkerMetrics(MeterRegistry registry) {
        stops = Counter.builder("edgestop.worker.stops")
                .description("Jobs the job controller stopped or found stopped (directives answered from the cache excluded)")
                .register(registry);
        failures = Counter.builder("edgestop.worker.stop.failures")
                .description("Directives whose stop failed every local attempt, reported with the job still running")
                .register(registry);
        reportLatency = Timer.builder("edgestop.worker.report.latency")
                .description("Time from a directive's timestamp to its report acknowledged on its cluster's job-status-reports")
                .serviceLevelObjectives(ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000),
                        ms(2500), ms(5000), ms(10_000), ms(30_000), ms(60_000))
                .register(registry);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    void stopped() {
        stops.increment();
    }

    void stopFailed() {
        failures.increment();
    }

    void reported(long directiveTs, long nowMs) {
        reportLatency.record(Duration.ofMillis(Math.max(0, nowMs - directiveTs)));
    }
}
