package io.edgestop.orchestrator.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.topics.Topics;

/**
 * Re-keys the edge workers' reports (key clusterId/jobId; a worker does not know the job's owner)
 * to the account that owns the job, taken from the job-state global store, so that a report
 * reaches the task where the job's stop is pending: once per report, never per command. Reports
 * about unknown jobs, or with status UNKNOWN, change nothing and are dropped here. Stream-time
 * ticks become TICK events, which the repartition sends to every partition.
 *
 * <p>Both of its inputs are written by the orchestrator only (issue 21): reports from
 * {@code verified-reports}, where the {@code ReportRelay} put them after checking each against its
 * cluster's topic, and ticks from the stream-time topic.
 */
final class JobRouter implements Processor<String, JobStatusReport, String, JobEvent> {

    private final Topics topics;
    private final CommitPacing pacing;
    private ProcessorContext<String, JobEvent> context;
    private VersionedKeyValueStore<String, JobState> jobs;

    JobRouter(Topics topics, CommitPacing pacing) {
        this.topics = topics;
        this.pacing = pacing;
    }

    @Override
    public void init(ProcessorContext<String, JobEvent> context) {
        this.context = context;
        this.jobs = context.getStateStore(JobLookup.JOBS_STORE);
    }

    @Override
    public void process(Record<String, JobStatusReport> record) {
        route(record);
        pacing.processed(context, record.timestamp());
    }

    private void route(Record<String, JobStatusReport> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
        JobStatusReport report = record.value();
        if (topics.streamTimeTicks().equals(topic)) {
            context.forward(new Record<>("", JobEvent.newBuilder().setType(JobEventType.TICK).setJobKey("")
                    .setAccountId("").build(), record.timestamp()));
            return;
        }
        if (record.key() == null || report == null) {
            return;
        }
        VersionedRecord<JobState> job = report.getStatus() == JobStatus.UNKNOWN ? null : jobs.get(record.key());
        if (job == null) {
            return;
        }
        String owner = job.value().getAccountId();
        // the report's headers (its traceparent) go with it through the repartition
        context.forward(record.withKey(owner).withValue(JobEvent.newBuilder().setType(JobEventType.REPORT)
                .setJobKey(record.key()).setAccountId(owner).setReport(report).build()));
    }
}
