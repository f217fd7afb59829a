package io.edgestop.orchestrator;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * Re-keys the edge workers' reports (key clusterId/jobId; a worker does not know the job's owner)
 * to the account that owns the job, taken from the job-state global store, so that a report
 * reaches the task where the job's stop is pending: once per report, never per command. Reports
 * about unknown jobs, or with status UNKNOWN, change nothing and are dropped here. Stream-time
 * ticks become TICK events, which the repartition sends to every partition.
 *
 * <p>A report is believed only on its own cluster's topic, which only that cluster's workers may
 * write (issue 21): one whose key or value names another cluster, and any tick there, is a
 * {@link ForeignReport}, dead-lettered by Kafka Streams' processing exception handler. Ticks are
 * believed only from the stream-time topic, which only the orchestrator writes.
 */
final class JobRouter implements Processor<String, JobStatusReport, String, JobEvent> {

    /** A record on a report topic that its cluster's workers may not say: the dead letter's reason. */
    static final class ForeignReport extends RuntimeException {
        ForeignReport(String message) {
            super(message, null, false, false); // no stack: the reason is the message
        }
    }

    private final Topics topics;
    private ProcessorContext<String, JobEvent> context;
    private VersionedKeyValueStore<String, JobState> jobs;

    JobRouter(Topics topics) {
        this.topics = topics;
    }

    @Override
    public void init(ProcessorContext<String, JobEvent> context) {
        this.context = context;
        this.jobs = context.getStateStore(JobLookup.JOBS_STORE);
    }

    @Override
    public void process(Record<String, JobStatusReport> record) {
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
        String cluster = topics.clusterOfJobStatusReports(topic);
        if (cluster == null || StreamTimeTicker.TICK_CLUSTER.equals(report.getClusterId())
                || !cluster.equals(report.getClusterId()) || !record.key().equals(JobKey.of(cluster, report.getJobId()))) {
            throw new ForeignReport("a report on " + topic + " may name only its own cluster's jobs: key '" + record.key()
                    + "', cluster '" + report.getClusterId() + "'");
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
