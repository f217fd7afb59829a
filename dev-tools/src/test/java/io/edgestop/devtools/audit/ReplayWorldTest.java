package io.edgestop.devtools.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/** The replay reads and decides what the orchestrator read: each async producer's command topic among its inputs. */
class ReplayWorldTest {

    static final String ACCOUNT = "1000000000000077";
    static final String ROOT = "acs:ram::" + ACCOUNT + ":root";
    static final long T = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();

    @Test
    void anAsyncProducersCommandsAreInputsOfTheReplay() {
        Topics topics = Topics.withDefaultPrefix();
        assertTrue(RecordedInputs.topicsOf(topics, List.of("billing")).contains(topics.asyncCommands("billing")));
        try (ReplayWorld world = new ReplayWorld(Map.of(OrchestratorConfig.ASYNC_PRODUCERS, "billing"))) {
            assertEquals(List.of("billing"), world.asyncProducers());
            pipe(world, topics.accountSettings(), ACCOUNT, AvroSerdes.accountSettings().serialize("", AccountSettings.newBuilder()
                    .setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true).setRevision(1)
                    .setAsyncProducers(Map.of("billing", List.of(ROOT))).build()), T - 1_000);
            pipe(world, topics.jobState(), JobKey.of("edge-a", "job-1"), AvroSerdes.jobState().serialize("", JobState.newBuilder()
                    .setClusterId("edge-a").setJobId("job-1").setAccountId(ACCOUNT).setDomainName("d.example.com")
                    .setStatus(JobStatus.RUNNING).setRevision(1).build()), T - 1_000);
            pipe(world, topics.asyncCommands("billing"), ACCOUNT, AvroSerdes.stopCommand().serialize("", StopCommand.newBuilder()
                    .setRequestId("async-1").setAccountId(ACCOUNT).setPrincipal(ROOT).setClusterId("edge-a").setJobId("job-1")
                    .setRequestTime(Instant.ofEpochMilli(T)).build()), T);
            List<AuditRecord> decisions = world.audit().stream().filter(r -> r.getEventType() == AuditEventType.DECISION).toList();
            assertEquals(1, decisions.size(), decisions.toString());
            assertEquals("async-1", decisions.get(0).getRequestId());
            assertEquals(Outcome.ACCEPTED, decisions.get(0).getOutcome(), decisions.get(0).toString());
        }
    }

    private static void pipe(ReplayWorld world, String topic, String key, byte[] value, long timestamp) {
        world.pipe(topic, key.getBytes(StandardCharsets.UTF_8), value, timestamp, new RecordHeaders());
    }
}
