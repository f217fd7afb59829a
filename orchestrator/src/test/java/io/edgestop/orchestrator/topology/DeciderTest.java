package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.ACCOUNT;
import static io.edgestop.orchestrator.topology.Harness.ALICE;
import static io.edgestop.orchestrator.topology.Harness.CLUSTER;
import static io.edgestop.orchestrator.topology.Harness.JOB;
import static io.edgestop.orchestrator.topology.Harness.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.edgestop.api.ApiError;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.CommandLedger;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.state.PendingStops;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.CommandLedgerEntry;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;

/** {@link Decider} alone, on real stores: what it forwards and stores for a few decisive inputs. */
class DeciderTest {

    static final long T = 1_700_000_000_000L;
    static final long DEADLINE_MS = 30_000;
    static final String KEY = JobKey.of(CLUSTER, JOB);

    @TempDir
    Path stateDir;
    MockProcessorContext<String, Emit> context;
    VersionedKeyValueStore<String, JobState> jobs;
    VersionedKeyValueStore<String, JobObservation> observations;
    KeyValueStore<String, CommandLedgerEntry> ledger;
    KeyValueStore<String, PendingStop> pending;
    final RecordingDirectiveTopics directiveTopics = new RecordingDirectiveTopics();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Decider decider;

    @BeforeEach
    void setUp() {
        context = Harness.processorContext(stateDir);
        jobs = Harness.register(context, Harness.jobStates());
        observations = Harness.register(context, Stores.versionedKeyValueStoreBuilder(Stores.persistentVersionedKeyValueStore(
                JobLookup.OBSERVATIONS_STORE, Duration.ofHours(1)), Serdes.String(), AvroSerdes.jobObservation()));
        ledger = Harness.register(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CommandLedger.STORE),
                Serdes.String(), CommandLedger.serde()));
        pending = Harness.register(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PendingStops.STORE),
                Serdes.String(), PendingStop.serde()));
        jobs.put(KEY, Harness.job(JobStatus.RUNNING, 1).build(), T - 60_000);
        OrchestratorConfig config = OrchestratorConfig.fromMap(Map.of(OrchestratorConfig.BOOTSTRAP_SERVERS, "unused:9092",
                OrchestratorConfig.STATE_DIR, stateDir.toString(),
                OrchestratorConfig.DIRECTIVE_DEADLINE_MS, Long.toString(DEADLINE_MS)));
        decider = new Decider(config.decisionSettings(), config.commitIntervals(), directiveTopics,
                new OrchestratorMetrics(meters));
        decider.init(context);
    }

    @AfterEach
    void tearDown() {
        decider.close();
        jobs.close();
        observations.close();
        ledger.close();
        pending.close();
    }

    static AccountSettings enabled(Integer callsPerMinute) {
        return AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true)
                .setStopCallsPerMinute(callsPerMinute).setRevision(1).build();
    }

    void decide(StopCommand c, AccountSettings settings, long ts) {
        decider.process(new Record<>(ACCOUNT, new DeciderInput.Command(c, null, settings, null), ts));
    }

    List<Record<? extends String, ? extends Emit>> forwarded() {
        List<Record<? extends String, ? extends Emit>> out = context.forwarded().stream()
                .<Record<? extends String, ? extends Emit>>map(MockProcessorContext.CapturedForward::record).toList();
        context.resetForwards();
        return out;
    }

    static <E extends Emit> E value(Record<? extends String, ? extends Emit> r, Class<E> type) {
        return assertInstanceOf(type, r.value());
    }

    /** Rejected with this error: one result and one audit record, no directive. */
    void assertRejected(ApiError error, String requestId, long ts) {
        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals(2, out.size(), out.toString());
        StopResult result = value(out.get(0), Emit.Result.class).value();
        assertEquals(requestId, out.get(0).key());
        assertEquals(Outcome.REJECTED, result.getOutcome());
        assertEquals(error.code(), result.getCode());
        assertEquals(error.httpStatus(), result.getHttpStatus());
        assertEquals(ts, out.get(0).timestamp());
        AuditRecord audit = value(out.get(1), Emit.Audit.class).value();
        assertEquals(ACCOUNT, out.get(1).key());
        assertEquals(Outcome.REJECTED, audit.getOutcome());
        assertEquals(error.code(), audit.getCode());
    }

    @Test
    void anAcceptedStopForwardsItsDirectiveResultAndAuditAndOpensAPendingStop() {
        decide(command("r1").setSignatureNonce("n1").build(), enabled(null), T);

        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals(3, out.size(), out.toString());
        StopDirective directive = value(out.get(0), Emit.Directive.class).value();
        assertEquals(KEY, out.get(0).key());
        assertEquals("r1#1", directive.getDirectiveId());
        assertEquals(T + DEADLINE_MS, directive.getDeadline().toEpochMilli());
        StopResult result = value(out.get(1), Emit.Result.class).value();
        assertEquals("r1", out.get(1).key());
        assertEquals(Outcome.ACCEPTED, result.getOutcome());
        AuditRecord audit = value(out.get(2), Emit.Audit.class).value();
        assertEquals(ACCOUNT, out.get(2).key());
        assertEquals(AuditEventType.DECISION, audit.getEventType());
        assertEquals("r1#1", audit.getDirectiveId());
        assertEquals(1L, audit.getJobStateRevision());
        out.forEach(r -> assertEquals(T, r.timestamp()));

        PendingStop stop = pending.get(KEY);
        assertEquals("r1", stop.requestId());
        assertEquals(1, stop.attempt());
        assertEquals(T + DEADLINE_MS, stop.deadline());
        CommandLedgerEntry entry = ledger.get(ACCOUNT + "\nAK1\nn1");
        assertNotNull(entry, "one ledger entry for the nonce and the quota");
        assertTrue(entry.getCounted() && entry.getNonce());
        assertEquals(1.0, meters.counter("edgestop.orchestrator.decisions", "outcome", "ACCEPTED", "code", "Success").count());
    }

    @Test
    void aJobThatIsNotThereIsNotFound() {
        decide(command("r1").setJobId("no-such-job").build(), enabled(null), T);
        assertRejected(ApiError.JOB_NOT_FOUND, "r1", T);
        assertNull(pending.get(KEY), "no stop in flight");
    }

    @Test
    void aPrincipalWithoutAPolicyIsForbidden() {
        decide(command("r1").setPrincipal(ALICE).build(), enabled(null), T);
        assertRejected(ApiError.FORBIDDEN, "r1", T);
        assertNull(pending.get(KEY), "no stop in flight");
    }

    @Test
    void aCallOverTheAccountsQuotaIsThrottled() {
        decide(command("r1").build(), enabled(1), T);
        assertEquals(Outcome.ACCEPTED, value(forwarded().get(1), Emit.Result.class).value().getOutcome());
        decide(command("r2").setJobId("another-job").build(), enabled(1), T + 1000);
        assertRejected(ApiError.THROTTLING_USER, "r2", T + 1000);
        assertNull(pending.get(JobKey.of(CLUSTER, "another-job")), "no stop in flight for the throttled call");
    }

    @Test
    void aNonceUsedAgainIsRejectedBeforeAnythingElse() {
        decide(command("r1").setSignatureNonce("n1").build(), enabled(null), T);
        forwarded();
        pending.delete(KEY); // so that only the nonce can reject the second call
        decide(command("r2").setSignatureNonce("n1").build(), enabled(null), T + 1000);
        assertRejected(ApiError.SIGNATURE_NONCE_USED, "r2", T + 1000);
        assertNull(pending.get(KEY), "no stop in flight");
    }

    @Test
    void aClusterWhoseDirectivesCannotBeWrittenIsAnsweredUnavailable() {
        directiveTopics.undeliverable.add(CLUSTER);
        decide(command("r1").build(), enabled(null), T);
        assertRejected(ApiError.EDGE_CLUSTER_UNAVAILABLE, "r1", T);
        assertNull(pending.get(KEY), "no stop in flight");
    }

    @Test
    void aStoppedReportClosesThePendingStopWithACompletion() {
        decide(command("r1").build(), enabled(null), T);
        forwarded();
        JobStatusReport report = JobStatusReport.newBuilder().setClusterId(CLUSTER).setJobId(JOB).setStatus(JobStatus.STOPPED)
                .setDirectiveId("r1#1").setWorkerId("w1").setReportedAt(Instant.ofEpochMilli(T + 500))
                .setStoppedAt(Instant.ofEpochMilli(T + 400)).build();
        decider.process(new Record<>(ACCOUNT, new DeciderInput.Job(JobEvent.newBuilder().setType(JobEventType.REPORT)
                .setJobKey(KEY).setAccountId(ACCOUNT).setReport(report).build()), T + 500));

        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals(3, out.size(), out.toString());
        JobObservation observation = value(out.get(0), Emit.Observation.class).value();
        assertEquals(KEY, out.get(0).key());
        assertEquals(JobStatus.STOPPED, observation.getStatus());
        assertEquals("r1", observation.getRequestId());
        assertEquals(1L, observation.getJobStateRevision());
        StopResult completed = value(out.get(1), Emit.Result.class).value();
        assertEquals("r1", out.get(1).key());
        assertEquals(Outcome.COMPLETED, completed.getOutcome());
        assertEquals(AuditEventType.COMPLETED, value(out.get(2), Emit.Audit.class).value().getEventType());
        assertNull(pending.get(KEY), "the stop is no longer in flight");
        assertEquals(observation, observations.get(KEY).value());

        decide(command("r2").build(), enabled(null), T + 1000);
        StopResult r2 = value(forwarded().get(0), Emit.Result.class).value();
        assertEquals(ApiError.OPERATION_DENIED.code(), r2.getCode(), "the observed stop is the status in force");
        assertTrue(r2.getMessage().contains("status STOPPED"), r2.getMessage());
    }

    @Test
    void theDeadlinesRunOnStreamTime() {
        List<CapturedPunctuator> punctuators = context.scheduledPunctuators();
        assertEquals(2, punctuators.size(), "the ledger's sweep and the redelivery");
        punctuators.forEach(p -> assertEquals(PunctuationType.STREAM_TIME, p.getType()));
        decide(command("r1").build(), enabled(null), T);
        forwarded();
        punctuators.get(1).getPunctuator().punctuate(T + DEADLINE_MS);
        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals("r1#2", value(out.get(0), Emit.Directive.class).value().getDirectiveId());
        assertEquals(2, pending.get(KEY).attempt());
    }
}
