package io.edgestop.orchestrator.topology;

import org.apache.kafka.streams.processor.api.Record;

import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.trace.TraceContext;

/** An output record of the decider, routed to its topic by {@link OrchestratorTopology}. */
sealed interface Emit {

    /**
     * An output record carrying the {@code traceparent} of the request it answers (none when null):
     * copied, never made here, so the outputs of a replay are the same bytes (docs/architecture.md, Tracing).
     */
    static Record<String, Emit> record(String key, Emit value, long timestamp, String traceparent) {
        return new Record<>(key, value, timestamp, TraceContext.headers(traceparent));
    }

    record Result(StopResult value) implements Emit {
    }

    /** An audit record as the decider made it; {@link AuditChain} links it and turns it into a {@link ChainedAudit}. */
    record Audit(AuditRecord value) implements Emit {
    }

    /** An audit record on its task's chain, with {@code written}: its bytes on the audit topic, hashed as they are. */
    record ChainedAudit(AuditRecord record, byte[] written) implements Emit {
    }

    record Checkpoint(AuditCheckpoint value) implements Emit {
    }

    record Directive(StopDirective value) implements Emit {
    }

    record Observation(JobObservation value) implements Emit {
    }
}
