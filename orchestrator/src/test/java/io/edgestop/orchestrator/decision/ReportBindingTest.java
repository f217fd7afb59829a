package io.edgestop.orchestrator.decision;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.kafka.ReportRelay;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/** {@link ReportBinding}: what a cluster's report topic may say, the rule the {@link ReportRelay} applies to every record. */
class ReportBindingTest {

    static final String CLUSTER = "cluster-a";
    static final String JOB = "job-1";
    static final Topics TOPICS = Topics.withDefaultPrefix();
    static final String KEY = JobKey.of(CLUSTER, JOB);

    static JobStatusReport report(String clusterId, String jobId) {
        return JobStatusReport.newBuilder().setClusterId(clusterId).setJobId(jobId).setStatus(JobStatus.STOPPED)
                .setStoppedAt(Instant.EPOCH).setWorkerId("w").setReportedAt(Instant.EPOCH).build();
    }

    @Test
    void aReportOfItsOwnClustersJobOnItsOwnTopicIsBelieved() {
        assertNull(ReportBinding.refusal(TOPICS, TOPICS.jobStatusReports(CLUSTER), KEY, report(CLUSTER, JOB)));
    }

    @Test
    void aReportOnAnotherClustersTopicIsRefusedNamingTopicAndKey() {
        String refusal = ReportBinding.refusal(TOPICS, TOPICS.jobStatusReports("cluster-b"), KEY, report(CLUSTER, JOB));
        assertNotNull(refusal);
        assertTrue(refusal.contains(TOPICS.jobStatusReports("cluster-b")) && refusal.contains(KEY), refusal);
    }

    @Test
    void aKeyAndValueThatDisagreeAreRefused() {
        String topic = TOPICS.jobStatusReports(CLUSTER);
        assertNotNull(ReportBinding.refusal(TOPICS, topic, KEY, report("cluster-b", JOB)), "value of another cluster");
        assertNotNull(ReportBinding.refusal(TOPICS, topic, JobKey.of("cluster-b", JOB), report(CLUSTER, JOB)), "key of another cluster");
        assertNotNull(ReportBinding.refusal(TOPICS, topic, JobKey.of(CLUSTER, "other-job"), report(CLUSTER, JOB)), "key of another job");
        assertNotNull(ReportBinding.refusal(TOPICS, topic, null, report(CLUSTER, JOB)), "no key");
        assertNotNull(ReportBinding.refusal(TOPICS, topic, KEY, null), "no value");
    }

    @Test
    void aTickIsNeverAReportEvenOnATopicNamedLikeTheTicks() {
        assertNotNull(ReportBinding.refusal(TOPICS, TOPICS.jobStatusReports(CLUSTER), "__tick__/0",
                report(ReportBinding.TICK_CLUSTER, "")));
        assertNotNull(ReportBinding.refusal(TOPICS, TOPICS.jobStatusReports(ReportBinding.TICK_CLUSTER),
                JobKey.of(ReportBinding.TICK_CLUSTER, JOB), report(ReportBinding.TICK_CLUSTER, JOB)));
    }

    @Test
    void aRecordFromAnyOtherTopicIsRefused() {
        assertNotNull(ReportBinding.refusal(TOPICS, TOPICS.stopCommands(), KEY, report(CLUSTER, JOB)));
        assertNotNull(ReportBinding.refusal(TOPICS, TOPICS.verifiedReports(), KEY, report(CLUSTER, JOB)));
    }
}
