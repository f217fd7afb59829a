package io.edgestop.orchestrator;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;

/**
 * Watches the job-state stream: when a job with a pending stop is shown STOPPED, the pending
 * stop is closed with a COMPLETED result and audit entry (for its request and every request
 * that joined it).
 */
final class StopCompletion implements Processor<String, JobState, String, Emit> {

    private ProcessorContext<String, Emit> context;
    private PendingStops pending;

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        this.pending = PendingStops.of(context);
    }

    @Override
    public void process(Record<String, JobState> record) {
        JobState job = record.value();
        if (record.key() == null || job == null || job.getStatus() != JobStatus.STOPPED) {
            return;
        }
        PendingStop stop = pending.get(record.key());
        if (stop == null) {
            return;
        }
        pending.remove(record.key(), stop);
        JobStep.emitFollowUp(stop, Outcome.COMPLETED, AuditEventType.COMPLETED, record.timestamp(),
                "The job is stopped.", job.getRevision(), context);
    }
}
