package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.CLUSTER;
import static io.edgestop.orchestrator.topology.Harness.JOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.JobStateStore;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;

/** {@link JobStateUpdater} alone, on a real versioned store: what it keeps, what it dead-letters, what it prepares. */
class JobStateUpdaterTest {

    static final long T = 1_700_000_000_000L;
    static final String KEY = JobKey.of(CLUSTER, JOB);
    static final String TOPIC = "p.job-state";

    @TempDir
    Path stateDir;
    MockProcessorContext<Void, Void> context;
    VersionedKeyValueStore<String, JobState> jobs;
    final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    /** Whether the job was in the store when its cluster was prepared, per prepare call. */
    final List<Boolean> storedWhenPrepared = new ArrayList<>();
    RecordingDirectiveTopics directiveTopics;
    final JobOwners owners = JobOwners.kept();
    JobStateUpdater updater;

    @BeforeEach
    void setUp() {
        context = Harness.processorContext(stateDir);
        jobs = Harness.register(context, Harness.jobStates());
        directiveTopics = new RecordingDirectiveTopics() {
            @Override
            public void prepare(String clusterId) {
                super.prepare(clusterId);
                storedWhenPrepared.add(jobs.get(KEY) != null);
            }
        };
        DeadLetters collect = (topic, partition, offset, key, value, reason) ->
                deadLetters.add(DeadLetters.record("p.dead-letter", topic, partition, offset, key, value, reason));
        updater = new JobStateUpdater(collect, directiveTopics, owners, new JobStateStore());
        updater.init(context);
    }

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    void process(String key, byte[] value, long ts, long offset) {
        context.setRecordMetadata(TOPIC, 0, offset);
        updater.process(new Record<>(key, value, ts));
    }

    static byte[] encoded(JobState state) {
        return AvroSerdes.jobState().serialize(TOPIC, state);
    }

    @Test
    void everyVersionIsKeptAtItsTimestampAndATombstoneDeletesFromThenOn() {
        process(KEY, encoded(Harness.job(JobStatus.RUNNING, 1).build()), T, 0);
        process(KEY, encoded(Harness.job(JobStatus.STOPPED, 2).build()), T + 100, 1);
        assertEquals(1L, jobs.get(KEY, T + 99).value().getRevision());
        assertEquals(2L, jobs.get(KEY, T + 100).value().getRevision());
        process(KEY, null, T + 200, 2);
        assertNull(jobs.get(KEY), "deleted from the tombstone on");
        assertEquals(2L, jobs.get(KEY, T + 150).value().getRevision(), "earlier versions stay for as-of lookups");
        assertEquals(T, jobs.get(KEY, T + 50).timestamp());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void theOwnerIndexFollowsEveryPutAndTombstone() {
        String other = JobKey.of(CLUSTER, "j2");
        process(KEY, encoded(Harness.job(JobStatus.RUNNING, 1).build()), T, 0);
        process(other, encoded(Harness.job(JobStatus.RUNNING, 1).setJobId("j2").build()), T, 1);
        String account = Harness.job(JobStatus.RUNNING, 1).build().getAccountId();
        assertEquals(List.of(KEY, other).stream().sorted().toList(), owners.of(account));
        process(KEY, null, T + 100, 2);
        assertEquals(List.of(other), owners.of(account), "a deleted job leaves the index");
        process(KEY, null, T + 200, 3);
        assertEquals(List.of(other), owners.of(account), "a tombstone for no job changes nothing");
    }

    @Test
    void aJobsClusterIsPreparedBeforeTheJobIsStored() {
        process(KEY, encoded(Harness.job(JobStatus.RUNNING, 1).build()), T, 0);
        process(JobKey.of("edge-other", "j2"), encoded(Harness.job(JobStatus.RUNNING, 1).setClusterId("edge-other")
                .setJobId("j2").build()), T, 1);
        assertEquals(List.of(CLUSTER, "edge-other"), directiveTopics.prepared);
        assertEquals(false, storedWhenPrepared.get(0), "prepared first, stored after");
        assertEquals(Harness.job(JobStatus.RUNNING, 1).build(), jobs.get(KEY).value());
    }

    @Test
    void anUndecodableStateIsDeadLetteredWithItsOriginAndTheJobKeepsItsVersion() {
        process(KEY, encoded(Harness.job(JobStatus.RUNNING, 1).build()), T, 4);
        byte[] garbage = "not a job state at all".getBytes(StandardCharsets.UTF_8);
        process(KEY, garbage, T + 100, 5);

        assertEquals(1, deadLetters.size());
        ProducerRecord<byte[], byte[]> dead = deadLetters.get(0);
        assertEquals("p.dead-letter", dead.topic());
        assertArrayEquals(KEY.getBytes(StandardCharsets.UTF_8), dead.key());
        assertArrayEquals(garbage, dead.value(), "the record as it was");
        assertEquals(TOPIC, header(dead, "__streams.errors.topic"));
        assertEquals("0", header(dead, "__streams.errors.partition"));
        assertEquals("5", header(dead, "__streams.errors.offset"));
        assertEquals(1L, jobs.get(KEY).value().getRevision(), "the previous version is in force");
        assertEquals(List.of(CLUSTER), directiveTopics.prepared, "nothing prepared for what could not be read");
    }

    @Test
    void aRecordWithoutAKeyChangesNothing() {
        process(null, encoded(Harness.job(JobStatus.RUNNING, 1).build()), T, 0);
        assertNull(jobs.get(KEY));
        assertTrue(directiveTopics.prepared.isEmpty());
        assertTrue(deadLetters.isEmpty());
    }

    static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
