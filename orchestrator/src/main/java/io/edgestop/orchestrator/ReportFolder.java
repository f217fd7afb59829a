package io.edgestop.orchestrator;

import java.time.Instant;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;

/**
 * Folds edge workers' status reports into the job-state topic: a report whose status differs
 * from the job's latest state yields the next JobState revision (status, lastStopAt) written
 * back to the job-state topic, where it updates the table and closes the pending stop. A STOPPED
 * report for a job already STOPPED is folded too when a stop of that job is pending (a late
 * command decided as of a time the job still ran got a directive after the job had stopped), so
 * that pending stop is closed as well. Reports about unknown jobs, or otherwise repeating the
 * current status, change nothing.
 */
final class ReportFolder implements Processor<String, JobStatusReport, String, Emit> {

    private final String jobStateStore;
    private ProcessorContext<String, Emit> context;
    private VersionedKeyValueStore<String, JobState> jobs;
    private PendingStops pending;

    ReportFolder(String jobStateStore) {
        this.jobStateStore = jobStateStore;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        this.jobs = context.getStateStore(jobStateStore);
        this.pending = PendingStops.of(context);
    }

    @Override
    public void process(Record<String, JobStatusReport> record) {
        JobStatusReport report = record.value();
        if (record.key() == null || report == null || report.getStatus() == JobStatus.UNKNOWN) {
            return;
        }
        VersionedRecord<JobState> current = jobs.get(record.key());
        if (current == null || current.value() == null) {
            return;
        }
        boolean changes = current.value().getStatus() != report.getStatus();
        boolean closesPending = report.getStatus() == JobStatus.STOPPED && pending.get(record.key()) != null;
        if (!changes && !closesPending) {
            return;
        }
        JobState job = current.value();
        Instant stoppedAt = report.getStoppedAt() != null ? report.getStoppedAt() : Instant.ofEpochMilli(record.timestamp());
        JobState next = JobState.newBuilder(job)
                .setStatus(report.getStatus())
                .setLastStopAt(report.getStatus() == JobStatus.STOPPED ? stoppedAt : job.getLastStopAt())
                .setRevision(job.getRevision() + 1)
                .setUpdatedBy("orchestrator (report of " + report.getWorkerId() + ")")
                .build();
        // never older than the state it follows, so the versioned table's latest value is this revision
        long at = Math.max(record.timestamp(), current.timestamp());
        context.forward(new Record<>(record.key(), new Emit.JobStateUpdate(next), at));
    }
}
