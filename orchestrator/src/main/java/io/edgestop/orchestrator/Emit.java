package io.edgestop.orchestrator;

import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;

/** An output record of the decider, routed to its topic by {@link OrchestratorTopology}. */
sealed interface Emit {

    record Result(StopResult value) implements Emit {
    }

    record Audit(AuditRecord value) implements Emit {
    }

    record Directive(StopDirective value) implements Emit {
    }

    record Observation(JobObservation value) implements Emit {
    }
}
