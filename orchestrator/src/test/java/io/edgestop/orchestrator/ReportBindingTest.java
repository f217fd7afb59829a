package io.edgestop.orchestrator;

import static io.edgestop.orchestrator.Harness.CLUSTER;
import static io.edgestop.orchestrator.Harness.JOB;
import static io.edgestop.orchestrator.Harness.T0;
import static io.edgestop.orchestrator.Harness.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;

/**
 * The whole topology (TopologyTestDriver): a report is believed only on its own cluster's topic, and a
 * tick only from the orchestrator's tick topic. What is refused goes to the dead-letter topic with the
 * reason, and changes nothing: the pending stop stays pending and its deadlines stand.
 */
class ReportBindingTest {

    @TempDir
    Path stateDir;

    static JobStatusReport stopped(String clusterId, long at) {
        return JobStatusReport.newBuilder().setClusterId(clusterId).setJobId(JOB).setStatus(JobStatus.STOPPED)
                .setStoppedAt(Instant.ofEpochMilli(at)).setDirectiveId("r1#1").setRequestId("r1").setWorkerId("w-b")
                .setReportedAt(Instant.ofEpochMilli(at)).build();
    }

    @Test
    void anotherClustersReportsAndTicksOnAReportTopicAreDeadLetteredAndChangeNothing() {
        // TopologyTestDriver drops dead-letter sends under exactly_once_v2 (see PoisonRecordTest)
        try (Harness h = new Harness(stateDir, Map.of(OrchestratorConfig.PROCESSING_GUARANTEE, "at_least_once"))) {
            h.withRunningJob();
            assertEquals(Outcome.ACCEPTED, h.decide(command("r1").build(), T0).getOutcome());
            TestInputTopic<String, JobStatusReport> clusterB = h.driver.createInputTopic(
                    h.topics.jobStatusReports("cluster-b"), new StringSerializer(), AvroSerdes.jobStatusReport());

            // a worker of cluster-b says cluster-a's job stopped, on the only topic it may write
            clusterB.pipeInput(JobKey.of(CLUSTER, JOB), stopped(CLUSTER, T0 + 100), T0 + 100);
            // and ticks, on its own cluster's topic and on cluster-a's. (Their timestamps are kept near: this
            // driver runs every subtopology in one task, so any input moves the decider's stream time here;
            // on a broker the decider's task sees only what the router forwards, and JobRouterTest shows
            // that a tick on a report topic is not forwarded.)
            JobStatusReport tick = JobStatusReport.newBuilder().setClusterId(StreamTimeTicker.TICK_CLUSTER).setJobId("")
                    .setStatus(JobStatus.UNKNOWN).setWorkerId("w-b").setReportedAt(Instant.ofEpochMilli(T0 + 200)).build();
            clusterB.pipeInput("__tick__/0", tick, T0 + 200);
            h.reports.pipeInput("__tick__/0", tick, T0 + 200);
            assertTrue(h.results.isEmpty(), "the pending stop neither completed nor timed out: " + h.results.readValuesToList());
            assertTrue(h.observations.isEmpty(), "nothing observed");

            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertEquals(3, dead.size());
            assertEquals(List.of(h.topics.jobStatusReports("cluster-b"), h.topics.jobStatusReports("cluster-b"),
                    h.topics.jobStatusReports(CLUSTER)), dead.stream().map(r -> header(r, "__streams.errors.topic")).toList());
            for (TestRecord<byte[], byte[]> r : dead) {
                assertEquals(JobRouter.ForeignReport.class.getName(), header(r, "__streams.errors.exception"));
                assertTrue(header(r, "__streams.errors.message").contains("may name only its own cluster's jobs"),
                        header(r, "__streams.errors.message"));
            }
            assertEquals(JobKey.of(CLUSTER, JOB), new String(dead.get(0).key(), StandardCharsets.UTF_8), "kept as it was");

            // the deadline still stands where it was: the first redelivery comes with the orchestrator's tick at T0 + 30 s
            h.tick(T0 + 29_999);
            assertEquals(1, h.directives(CLUSTER).readValuesToList().size(), "only the first directive so far");
            // cluster-a's own worker is believed
            h.reports.pipeInput(JobKey.of(CLUSTER, JOB), stopped(CLUSTER, T0 + 30_100), T0 + 30_100);
            assertEquals(List.of(Outcome.COMPLETED), h.results.readValuesToList().stream().map(StopResult::getOutcome).toList());
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
