package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.CLUSTER;
import static io.edgestop.orchestrator.topology.Harness.JOB;
import static io.edgestop.orchestrator.topology.Harness.T0;
import static io.edgestop.orchestrator.topology.Harness.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.api.ApiError;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.topics.JobKey;
import io.edgestop.trace.TraceContext;

/** The whole topology: each output carries the traceparent of the request it concerns, and nothing else of its input's headers. */
class TraceHeadersTest {

    static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String JOINER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final String WORKER = "00-4bf92f3577b34da6a3ce929d0e0e4736-53995c3f42cd8ad8-01";

    @TempDir
    Path stateDir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Map.of(OrchestratorConfig.DIRECTIVE_MAX_ATTEMPTS, "2"));
        h.withRunningJob();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void anAcceptedStopsResultAuditAndDirectiveCarryTheCommandsTraceparent() {
        send(command("r1").build(), T0, CALLER);

        TestRecord<String, StopResult> result = h.results.readRecord();
        assertEquals(Outcome.ACCEPTED, result.value().getOutcome());
        assertEquals(CALLER, traceparent(result.headers()));
        assertNull(result.headers().lastHeader("other"), "only the trace context is carried on");
        TestRecord<String, AuditRecord> audit = h.audit.readRecord();
        assertEquals(CALLER, traceparent(audit.headers()));
        assertEquals(CALLER, audit.value().getTraceparent(), "and it is in the audit record");
        assertEquals(CALLER, traceparent(h.directives(CLUSTER).readRecord().headers()));
    }

    @Test
    void aRejectionCarriesItAndACommandWithoutOneGetsNone() {
        send(command("r1").setJobId("no-such-job").build(), T0, CALLER);
        TestRecord<String, StopResult> rejected = h.results.readRecord();
        assertEquals(ApiError.JOB_NOT_FOUND.code(), rejected.value().getCode());
        assertEquals(CALLER, traceparent(rejected.headers()));
        assertEquals(CALLER, h.audit.readRecord().value().getTraceparent());

        h.send(command("r2").build(), T0 + 1);
        TestRecord<String, StopResult> untraced = h.results.readRecord();
        assertEquals(Outcome.ACCEPTED, untraced.value().getOutcome(), "the trace context decides nothing");
        assertNull(untraced.headers().lastHeader(TraceContext.TRACEPARENT));
        assertNull(h.audit.readRecord().value().getTraceparent());
        assertNull(h.directives(CLUSTER).readRecord().headers().lastHeader(TraceContext.TRACEPARENT));
    }

    @Test
    void theWorkersReportReachesTheObservationAndEachRequestsCompletionCarriesItsOwn() {
        send(command("r1").build(), T0, CALLER);
        send(command("r2").build(), T0 + 10, JOINER); // joins r1's stop
        h.results.readRecordsToList();
        h.audit.readRecordsToList();

        JobStatusReport report = JobStatusReport.newBuilder().setClusterId(CLUSTER).setJobId(JOB).setDirectiveId("r1#1")
                .setRequestId("r1").setStatus(JobStatus.STOPPED).setStoppedAt(Instant.ofEpochMilli(T0 + 500))
                .setWorkerId("w1").setReportedAt(Instant.ofEpochMilli(T0 + 500)).build();
        h.reports.pipeInput(new TestRecord<>(JobKey.of(CLUSTER, JOB), report, headers(WORKER), T0 + 500));

        // through the JobRouter and the repartition to the account's task
        assertEquals(WORKER, traceparent(h.observations.readRecord().headers()));
        Map<String, String> completions = new HashMap<>();
        for (TestRecord<String, StopResult> r : h.results.readRecordsToList()) {
            assertEquals(Outcome.COMPLETED, r.value().getOutcome());
            completions.put(r.key(), traceparent(r.headers()));
        }
        assertEquals(Map.of("r1", CALLER, "r2", JOINER), completions);
        for (TestRecord<String, AuditRecord> a : h.audit.readRecordsToList()) {
            assertEquals(AuditEventType.COMPLETED, a.value().getEventType());
            assertEquals(completions.get(a.value().getRequestId()), a.value().getTraceparent());
            assertEquals(a.value().getTraceparent(), traceparent(a.headers()));
        }
    }

    /** The punctuator has no input record: the traceparent comes from the pending stop. */
    @Test
    void redeliveriesAndTheTimeOutCarryTheTraceparentKeptInThePendingStop() {
        send(command("r1").build(), T0, CALLER);
        send(command("r2").build(), T0 + 10, JOINER);
        h.directives(CLUSTER).readRecordsToList();
        h.results.readRecordsToList();
        h.audit.readRecordsToList();

        h.tick(T0 + 30_000); // the first deadline: attempt 2
        TestRecord<String, StopDirective> again = h.directives(CLUSTER).readRecord();
        assertEquals("r1#2", again.value().getDirectiveId());
        assertEquals(CALLER, traceparent(again.headers()));
        TestRecord<String, AuditRecord> redelivered = h.audit.readRecord();
        assertEquals(AuditEventType.DIRECTIVE_REDELIVERED, redelivered.value().getEventType());
        assertEquals(CALLER, redelivered.value().getTraceparent());
        assertEquals(CALLER, traceparent(redelivered.headers()));

        h.tick(T0 + 60_000); // the last attempt's deadline: TIMED_OUT for the request and its joiner
        List<TestRecord<String, StopResult>> timedOut = h.results.readRecordsToList();
        assertEquals(2, timedOut.size(), timedOut.toString());
        for (TestRecord<String, StopResult> r : timedOut) {
            assertEquals(Outcome.TIMED_OUT, r.value().getOutcome());
            assertEquals(r.key().equals("r1") ? CALLER : JOINER, traceparent(r.headers()), r.key());
        }
        assertTrue(h.audit.readRecordsToList().stream().allMatch(a -> traceparent(a.headers()) != null
                && traceparent(a.headers()).equals(a.value().getTraceparent())));
    }

    private void send(StopCommand c, long ts, String traceparent) {
        Headers headers = headers(traceparent).add("other", "not carried".getBytes(StandardCharsets.UTF_8));
        h.commands.pipeInput(new TestRecord<>(c.getAccountId(), c, headers, ts));
    }

    private static Headers headers(String traceparent) {
        return new RecordHeaders().add(TraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    }

    private static String traceparent(Headers headers) {
        return TraceContext.traceparent(headers);
    }
}
