package io.edgestop.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.edgestop.schema.Outcome;

class OrchestratorMetricsTest {

    @Test
    void decisionsAreCountedByOutcomeAndCode() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OrchestratorMetrics metrics = new OrchestratorMetrics(registry);
        long now = System.currentTimeMillis();
        metrics.decided(Outcome.ACCEPTED, null, now);
        metrics.decided(Outcome.ACCEPTED, null, now);
        metrics.decided(Outcome.REJECTED, "Forbidden", now);
        metrics.decided(Outcome.REJECTED, "InvalidJob.NotFound", now);
        metrics.decided(Outcome.REJECTED, "Forbidden", now);

        assertEquals(2, count(registry, "ACCEPTED", OrchestratorMetrics.SUCCESS));
        assertEquals(2, count(registry, "REJECTED", "Forbidden"));
        assertEquals(1, count(registry, "REJECTED", "InvalidJob.NotFound"));
        assertEquals(3, registry.find("edgestop.orchestrator.decisions").counters().size(), "one counter per outcome and code");
        assertEquals(5, registry.get("edgestop.orchestrator.decision.latency").timer().count());
    }

    private static double count(SimpleMeterRegistry registry, String outcome, String code) {
        return registry.get("edgestop.orchestrator.decisions").tag("outcome", outcome).tag("code", code).counter().count();
    }
}
