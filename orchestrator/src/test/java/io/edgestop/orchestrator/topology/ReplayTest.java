package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.topics.JobKey;

/**
 * The same input history processed twice from empty state gives identical results, audit
 * records, directives and job observations: every field, record keys and timestamps
 * included, the audit hash chain too. No output field is wall-clock by nature (eventTime, issuedAt and deadline are record
 * timestamps; requestTime and stoppedAt are copied from the inputs), so nothing is excluded.
 */
class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void sameHistoryGivesIdenticalOutputs() throws Exception {
        CheckpointKey key = CheckpointKey.write(dir.resolve("checkpoint-key.pem"));
        List<String> first = run(dir.resolve("one"), 11);
        List<String> second = run(dir.resolve("two"), 11);
        assertTrue(first.stream().anyMatch(s -> s.startsWith("checkpoint ")), "signed checkpoints: Ed25519 is deterministic");
        assertTrue(first.stream().filter(s -> s.startsWith("checkpoint ")).allMatch(s -> s.contains(key.id())));
        assertTrue(first.size() > 200, "a meaningful history: " + first.size());
        assertEquals(first, second);
        assertTrue(first.stream().anyMatch(s -> s.contains("DIRECTIVE_REDELIVERED")));
        assertTrue(first.stream().anyMatch(s -> s.contains("\"COMPLETED\"")));
        assertTrue(first.stream().anyMatch(s -> s.contains("Throttling.User")));
        assertTrue(first.stream().anyMatch(s -> s.contains("SignatureNonceUsed")));
        assertTrue(first.stream().anyMatch(s -> s.contains("Forbidden")));
        assertTrue(first.stream().anyMatch(s -> s.contains("Forbidden.AsyncProducer")));
    }

    /** The chain encodes each audit record once: the bytes on the topic are the audit format's own, and hashed as written. */
    @Test
    void auditBytesAreTheFormatsEncodingAndCarryTheirOwnHash() throws Exception {
        try (Harness h = new Harness(dir)) {
            var written = h.driver.createOutputTopic(h.topics.audit(), new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            h.settings.pipeInput(ACCOUNT, enabled(1), T0 - 10_000);
            h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.RUNNING, 1).build(), T0 - 5_000);
            for (int i = 0; i < 5; i++) {
                h.send(command("bytes" + i).setSignatureNonce(i % 2 == 0 ? "nonce" + i : null).build(), T0 + i);
            }
            var serde = io.edgestop.schema.serde.AvroSerdes.auditRecord();
            List<byte[]> values = written.readValuesToList();
            assertEquals(5, values.size());
            List<AuditRecord> audit = new ArrayList<>();
            for (byte[] bytes : values) {
                AuditRecord r = serde.deserialize("audit", bytes);
                assertArrayEquals(serde.serialize("audit", r), bytes, r.getAuditId());
                assertArrayEquals(AuditChain.bytes(r.getRecordHash()), AuditChain.hashOfWritten(bytes), r.getAuditId());
                audit.add(r);
            }
            assertChained(audit);
        }
    }

    /** The task's audit records are one chain: positions 1.., each linked to the previous, each hash its record's. */
    static void assertChained(List<AuditRecord> audit) {
        byte[] previous = AuditChain.GENESIS;
        long sequence = 0;
        var serde = io.edgestop.schema.serde.AvroSerdes.auditRecord();
        for (AuditRecord r : audit) {
            assertEquals(0, r.getChain(), r.getAuditId());
            assertEquals(++sequence, r.getChainSequence(), r.getAuditId());
            assertArrayEquals(previous, AuditChain.bytes(r.getPreviousHash()), r.getAuditId());
            previous = AuditChain.bytes(r.getRecordHash());
            assertArrayEquals(previous, AuditChain.hashOfWritten(serde.serialize("audit", r)), r.getAuditId());
        }
    }

    private static List<String> run(Path stateDir, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        try (Harness h = new Harness(stateDir, Map.of(OrchestratorConfig.QUOTA_DEFAULT_PER_MINUTE, "40",
                OrchestratorConfig.DIRECTIVE_DEADLINE_MS, "5000", OrchestratorConfig.AUDIT_CHECKPOINT_RECORDS, "50",
                OrchestratorConfig.AUDIT_CHECKPOINT_INTERVAL_MS, "20000", OrchestratorConfig.ASYNC_PRODUCERS, "billing",
                OrchestratorConfig.AUDIT_CHECKPOINT_KEY_FILE, stateDir.resolveSibling("checkpoint-key.pem").toString()))) {
            var checkpointTopic = h.driver.createOutputTopic(h.topics.auditCheckpoints(),
                    new org.apache.kafka.common.serialization.StringDeserializer(), io.edgestop.schema.serde.AvroSerdes.auditCheckpoint());
            var billing = h.asyncCommands("billing");
            Map<String, List<String>> binding = Map.of("billing", List.of(ALICE));
            h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(enabled(1)).setAsyncProducers(binding).build(), T0 - 10_000);
            h.policies.pipeInput(ACCOUNT, policies(ALICE, 1, policy("Ops", allowStop("acs:live:*:" + ACCOUNT + ":domain/*"))), T0 - 10_000);
            long t = T0;
            for (int j = 0; j < 10; j++) {
                h.jobStates.pipeInput(JobKey.of(CLUSTER, "job" + j), job(JobStatus.RUNNING, 1).setJobId("job" + j).build(), T0 - 5_000);
            }
            for (int i = 0; i < 400; i++) {
                t += random.nextInt(400);
                int kind = random.nextInt(20);
                String jobId = "job" + random.nextInt(12);
                long ts = t - random.nextInt(2000); // a little out of order
                if (kind == 0) {
                    h.jobStates.pipeInput(JobKey.of(CLUSTER, jobId), job(JobStatus.RUNNING, 10 + i).setJobId(jobId).build(), ts);
                } else if (kind == 1) {
                    h.reports.pipeInput(JobKey.of(CLUSTER, jobId), JobStatusReport.newBuilder().setClusterId(CLUSTER).setJobId(jobId)
                            .setStatus(JobStatus.STOPPED).setStoppedAt(Instant.ofEpochMilli(ts)).setWorkerId("w" + random.nextInt(3))
                            .setReportedAt(Instant.ofEpochMilli(ts)).build(), ts);
                } else if (kind == 2) {
                    h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(enabled(i)).setEdgeTranscodeEnabled(random.nextInt(5) > 0)
                            .setAsyncProducers(random.nextInt(3) > 0 ? binding : null).build(), ts);
                } else {
                    var c = command("r" + i).setJobId(jobId)
                            .setPrincipal(random.nextBoolean() ? ROOT : random.nextBoolean() ? ALICE : "acs:ram::" + ACCOUNT + ":user/bob")
                            .setSignatureNonce(random.nextInt(4) == 0 ? "n" + random.nextInt(30) : null)
                            .build();
                    if (kind < 6) {
                        billing.pipeInput(ACCOUNT, c, ts); // an async producer's
                    } else {
                        h.send(c, ts);
                    }
                }
            }
            h.results.readRecordsToList().forEach(r -> out.add("result " + r.key() + " " + r.timestamp() + " " + r.value()));
            List<AuditRecord> audit = new ArrayList<>();
            h.audit.readRecordsToList().forEach(r -> {
                out.add("audit " + r.key() + " " + r.timestamp() + " " + r.value());
                audit.add(r.value());
            });
            assertChained(audit);
            var checkpoints = checkpointTopic.readRecordsToList();
            CheckpointKey key = CheckpointKey.read(stateDir.resolveSibling("checkpoint-key.pem"));
            long previous = 0;
            for (var c : checkpoints) {
                var v = c.value();
                assertTrue(CheckpointKey.verify(key.publicKey(), AuditChain.signedBytes(v), AuditChain.bytes(v.getSignature())));
                assertEquals(previous, v.getPreviousSequence());
                assertTrue(v.getSequence() - previous <= 50, "at most audit.checkpoint.records records unsigned");
                assertArrayEquals(AuditChain.bytes(audit.get((int) v.getSequence() - 1).getRecordHash()), AuditChain.bytes(v.getHeadHash()));
                previous = v.getSequence();
                out.add("checkpoint " + c.key() + " " + c.timestamp() + " " + v);
            }
            h.directives(CLUSTER).readRecordsToList().forEach(r -> out.add("directive " + r.key() + " " + r.timestamp() + " " + r.value()));
            h.observations.readRecordsToList().forEach(r -> out.add("observation " + r.key() + " " + r.timestamp() + " " + r.value()));
        }
        return out;
    }
}
