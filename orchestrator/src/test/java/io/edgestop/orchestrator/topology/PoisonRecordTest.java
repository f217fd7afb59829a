package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.serde.AvroSerdes;

/** Undecodable records on every input topic go to the dead-letter topic with reason and origin; processing continues. */
class PoisonRecordTest {

    @TempDir
    Path stateDir;

    @Test
    void poisonOnEveryInputTopicIsDeadLetteredAndProcessingContinues() {
        // TopologyTestDriver drops dead-letter sends under exactly_once_v2 (they happen outside its
        // simulated transaction); TwoInstancesIT checks dead-lettering with exactly_once_v2 on a real broker.
        try (Harness h = new Harness(stateDir, java.util.Map.of(OrchestratorConfig.PROCESSING_GUARANTEE, "at_least_once"))) {
            h.withRunningJob();
            byte[] random = new byte[64];
            new Random(42).nextBytes(random);
            // a valid single-object-encoded record, but of another schema
            byte[] wrongSchema = AvroSerdes.stopResult().serialize("x", io.edgestop.schema.StopResult.newBuilder()
                    .setRequestId("x").setEventTime(java.time.Instant.EPOCH).build());
            // job-state feeds the global store, whose thread has no producer of Kafka Streams': the orchestrator's own
            // DeadLetters take its poison, in the same format
            for (byte[] poison : List.of(random, wrongSchema, new byte[] {1, 2})) {
                h.raw.get(h.topics.jobState()).pipeInput("cluster-a/job-1".getBytes(StandardCharsets.UTF_8), poison, T0 - 1);
            }
            assertEquals(3, h.globalDeadLetters.size());
            for (var r : h.globalDeadLetters) {
                assertEquals(h.topics.deadLetter(), r.topic());
                assertEquals(h.topics.jobState(), new String(r.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8));
                assertNotNull(r.headers().lastHeader("__streams.errors.offset"));
                assertTrue(new String(r.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8).contains("Cannot decode"));
            }
            assertArrayEquals(random, h.globalDeadLetters.get(0).value());
            List<String> inputs = List.of(h.topics.stopCommands(), h.topics.accountSettings(), h.topics.accountPolicies(),
                    h.topics.verifiedReports(), h.topics.streamTimeTicks());
            for (String topic : inputs) {
                h.raw.get(topic).pipeInput("k".getBytes(StandardCharsets.UTF_8), random, T0);
                h.raw.get(topic).pipeInput("k".getBytes(StandardCharsets.UTF_8), wrongSchema, T0);
                h.raw.get(topic).pipeInput("k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, T0);
            }
            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertEquals(inputs.size() * 3, dead.size());
            for (int i = 0; i < dead.size(); i++) {
                TestRecord<byte[], byte[]> r = dead.get(i);
                String topic = header(r, "__streams.errors.topic");
                assertEquals(inputs.get(i / 3), topic);
                assertNotNull(header(r, "__streams.errors.partition"));
                assertNotNull(header(r, "__streams.errors.offset"));
                assertNotNull(header(r, "__streams.errors.exception"));
                assertTrue(header(r, "__streams.errors.message").contains("Cannot decode"),
                        header(r, "__streams.errors.message"));
            }
            assertArrayEquals(random, dead.get(0).value());
            // still deciding, and the job keeps the version it had before the poison
            assertEquals(Outcome.ACCEPTED, h.decide(command("after").build(), T0 + 1).getOutcome());
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
