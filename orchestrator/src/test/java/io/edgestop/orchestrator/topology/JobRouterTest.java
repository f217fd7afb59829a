package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.ACCOUNT;
import static io.edgestop.orchestrator.topology.Harness.CLUSTER;
import static io.edgestop.orchestrator.topology.Harness.JOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.decision.ReportBinding;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;
import io.edgestop.trace.TraceContext;

/** {@link JobRouter} alone: which reports it re-keys to the job's owner, which it drops, and where a tick comes from. */
class JobRouterTest {

    static final long T = 1_700_000_000_000L;
    static final String KEY = JobKey.of(CLUSTER, JOB);
    static final Topics TOPICS = Topics.withDefaultPrefix();

    MockProcessorContext<String, JobEvent> context;
    JobRouter router;
    VersionedKeyValueStore<String, JobState> jobs;
    @TempDir
    Path stateDir;

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    @BeforeEach
    void setUp() {
        context = Harness.processorContext(stateDir);
        jobs = Harness.register(context, Harness.jobStates());
        jobs.put(KEY, Harness.job(JobStatus.RUNNING, 1).build(), T);
        router = new JobRouter(TOPICS, new CommitPacing(20, 100, CommitPacingTest.freshThreadRecord()));
        router.init(context);
        context.setRecordMetadata(TOPICS.verifiedReports(), 0, 0);
    }

    static JobStatusReport report(String clusterId, JobStatus status) {
        return JobStatusReport.newBuilder().setClusterId(clusterId).setJobId(JOB).setStatus(status)
                .setWorkerId("w1").setReportedAt(Instant.ofEpochMilli(T + 5)).build();
    }

    @Test
    void aReportGoesToTheJobsOwnerWithItsTimestamp() {
        JobStatusReport r = report(CLUSTER, JobStatus.STOPPED);
        router.process(new Record<>(KEY, r, T + 10));
        List<CapturedForward<? extends String, ? extends JobEvent>> out = context.forwarded();
        assertEquals(1, out.size());
        Record<? extends String, ? extends JobEvent> event = out.get(0).record();
        assertEquals(ACCOUNT, event.key());
        assertEquals(T + 10, event.timestamp());
        assertEquals(JobEventType.REPORT, event.value().getType());
        assertEquals(KEY, event.value().getJobKey());
        assertEquals(r, event.value().getReport());
    }

    @Test
    void theReportsTraceparentGoesWithIt() {
        String worker = "00-4bf92f3577b34da6a3ce929d0e0e4736-53995c3f42cd8ad8-01";
        router.process(new Record<>(KEY, report(CLUSTER, JobStatus.STOPPED), T + 10, TraceContext.headers(worker)));
        assertEquals(worker, TraceContext.traceparent(context.forwarded().get(0).record().headers()));
    }

    @Test
    void reportsAboutUnknownJobsOrWithoutAStatusChangeNothing() {
        router.process(new Record<>(JobKey.of(CLUSTER, "other-job"), JobStatusReport.newBuilder(report(CLUSTER, JobStatus.STOPPED))
                .setJobId("other-job").build(), T + 10));
        router.process(new Record<>(KEY, report(CLUSTER, JobStatus.UNKNOWN), T + 10));
        router.process(new Record<>(null, report(CLUSTER, JobStatus.STOPPED), T + 10));
        router.process(new Record<>(KEY, null, T + 10));
        assertTrue(context.forwarded().isEmpty(), context.forwarded().toString());
    }

    @Test
    void aTickOnTheStreamTimeTopicBecomesATickEvent() {
        context.setRecordMetadata(TOPICS.streamTimeTicks(), 0, 7);
        router.process(new Record<>("__tick__/0", report(ReportBinding.TICK_CLUSTER, JobStatus.UNKNOWN), T + 20));
        List<CapturedForward<? extends String, ? extends JobEvent>> out = context.forwarded();
        assertEquals(1, out.size());
        assertEquals(JobEventType.TICK, out.get(0).record().value().getType());
        assertEquals(T + 20, out.get(0).record().timestamp());
    }

    @Test
    void aTickIsBelievedOnlyFromTheTickTopic() {
        // the relay never lets one through, and were one there it would be a report about no job: nothing moves
        router.process(new Record<>("__tick__/0", report(ReportBinding.TICK_CLUSTER, JobStatus.UNKNOWN), T + 3_600_000));
        assertTrue(context.forwarded().isEmpty());
    }
}
