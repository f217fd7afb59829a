package io.edgestop.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.edgestop.fault.Verifier.Keyed;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;

/**
 * The {@link Verifier} catches each kind of fault it exists for: outputs as a correct orchestrator writes
 * them pass, and each injected fault (a duplicate, a lost decision, a contradiction, a second directive for a
 * job, a redelivery, a directive no worker acted on, a missing or repeated COMPLETED, a lost or double-counted
 * quota, a published command never decided, a stopped job without its observation) is flagged. No Kafka: the outputs are built here.
 */
class VerifierTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final Scenario s = new Scenario("v.", 100);
    private final List<Keyed<StopResult>> results = new ArrayList<>();
    private final List<Keyed<StopDirective>> directives = new ArrayList<>();
    private final List<AuditRecord> audits = new ArrayList<>();
    private final List<JobStatusReport> reports = new ArrayList<>();
    private final List<String> published = new ArrayList<>();
    private final List<JobObservation> observations = new ArrayList<>();
    private final Map<String, Scenario.Kind> expected = new LinkedHashMap<>();

    /** A correct run: two accepted stops (acted on, completed), one joined repeat, a not-found, throttled calls. */
    @BeforeEach
    void correctOutputs() {
        accept("a-1", "job-1", 0);
        accept("a-2", "job-2", 1);
        decide("r-1", Scenario.Kind.REPEAT, Outcome.ACCEPTED, null, 2, "job-1", "a-1");
        decide("n-1", Scenario.Kind.NOT_FOUND, Outcome.REJECTED, "JobNotFound", 3, null, null);
        for (int i = 0; i < 7; i++) { // 5 pass (JobNotFound), then the quota throttles
            throttled("t-" + i, i < Scenario.THROTTLED_PER_MINUTE ? "JobNotFound" : "Throttling.User", 4 + i);
        }
        for (String id : List.of("a-1", "a-2")) {
            completed(id);
        }
        completed("r-1"); // the joiner of a-1 gets its own COMPLETED
    }

    @Test
    void correctOutputsPass() {
        Verifier.Report r = judge();
        assertTrue(r.problems().isEmpty(), r.problemText());
        assertEquals(2, r.accepted());
        assertEquals(1, r.joined());
        assertEquals(2, r.directivesAttempt1());
        assertEquals(2, r.directivesActedOn());
        assertEquals(Scenario.THROTTLED_PER_MINUTE, r.quotaPassed());
        assertEquals(0, r.duplicates());
        assertEquals(0, r.contradictions());
    }

    @Test
    void flagsADuplicateDecision() {
        results.add(results.get(0)); // a-1's decision twice, as a reprocessed uncommitted transaction would write it
        Verifier.Report r = judge();
        assertEquals(1, r.duplicates());
        assertFlags(r, "2 decision results for a-1");
    }

    /** With the broker's log read, a decision made twice names where each copy is and the transaction that wrote it. */
    @Test
    void aDuplicateNamesTheTransactionsThatWroteIt() {
        Keyed<StopResult> first = results.remove(0);
        results.add(0, new Keyed<>(first.where(), first.value(), "1@262", "producer 5 epoch 107 sequence 0"));
        results.add(new Keyed<>(first.where(), first.value(), "1@267", "producer 4 epoch 38 sequence 0"));
        assertFlags(judge(), "2 decision results for a-1 at [1@262 (producer 5 epoch 107 sequence 0), 1@267 (producer 4 epoch 38 sequence 0)]");
    }

    @Test
    void flagsALostDecision() {
        results.removeIf(k -> k.where().equals("n-1"));
        audits.removeIf(a -> a.getRequestId().equals("n-1"));
        assertFlags(judge(), "no decision for n-1");
    }

    @Test
    void flagsAContradiction() {
        results.add(new Keyed<>("n-1", result("n-1", Outcome.ACCEPTED, null, 3).build()));
        Verifier.Report r = judge();
        assertEquals(1, r.contradictions());
        assertFlags(r, "contradicting results for n-1");
    }

    @Test
    void flagsASecondDirectiveForAJobInFlight() {
        directives.add(new Keyed<>(s.topics.directives(Scenario.clusterOf(1)), directive("r-1", "job-1", 1, "d-r-1")));
        Verifier.Report r = judge();
        assertFlags(r, "2 attempt-1 directives for job " + Scenario.clusterOf(1) + "/job-1");
        assertFlags(r, "directive for r-1 which was ACCEPTED");
    }

    @Test
    void flagsARedeliveredDirective() {
        directives.add(new Keyed<>(s.topics.directives(Scenario.clusterOf(1)), directive("a-1", "job-1", 2, "d-a-1-2")));
        Verifier.Report r = judge();
        assertEquals(1, r.directivesRetried());
        assertFlags(r, "directive attempt 2 for a-1");
    }

    @Test
    void flagsADirectiveNoWorkerActedOn() {
        reports.removeIf(rep -> "d-a-2".equals(rep.getDirectiveId()));
        results.removeIf(k -> k.where().equals("a-2") && k.value().getOutcome() == Outcome.COMPLETED);
        assertFlags(judge(), "directive d-a-2 of a-2 never handled by a worker");
    }

    @Test
    void flagsAMissingOrRepeatedCompletion() {
        results.removeIf(k -> k.where().equals("a-2") && k.value().getOutcome() == Outcome.COMPLETED);
        assertFlags(judge(), "no COMPLETED result for a-2 although its worker stopped the job");
        completed("a-1");
        assertFlags(judge(), "2 COMPLETED results for a-1");
    }

    @Test
    void flagsAQuotaLedgerLostAcrossAFault() {
        // after a "restart" the lost ledger lets a sixth call of the same minute pass
        throttled("t-lost", "JobNotFound", 30);
        assertFlags(judge(), "quota: t-lost");
    }

    @Test
    void flagsAQuotaCallCountedTwice() {
        // a double-counted call: the fifth call of the minute is throttled although only four passed
        audits.removeIf(a -> a.getRequestId().equals("t-4") || a.getRequestId().equals("t-5") || a.getRequestId().equals("t-6"));
        results.removeIf(k -> k.where().startsWith("t-4") || k.where().startsWith("t-5") || k.where().startsWith("t-6"));
        expected.keySet().removeIf(id -> id.equals("t-4") || id.equals("t-5") || id.equals("t-6"));
        throttled("t-x", "Throttling.User", 20);
        assertFlags(judge(), "quota: t-x");
    }

    @Test
    void flagsAPublishedCommandNeverDecided() {
        published.add("h-unanswered"); // an HTTP call whose caller saw no answer, on the command topic all the same
        assertFlags(judge(), "1 published commands never decided, e.g. [h-unanswered]");
    }

    @Test
    void flagsAStoppedJobWithoutItsObservation() {
        observations.removeIf(o -> "d-a-2".equals(o.getDirectiveId()));
        assertFlags(judge(), "no STOPPED job observation for a-2's job");
    }

    private Verifier.Report judge() {
        return Verifier.judge(s, new Verifier.Snapshot(results, directives, audits, reports, published, observations), expected, false);
    }

    private static void assertFlags(Verifier.Report r, String problem) {
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith(problem)), "expected \"" + problem + "\" in " + r.problems());
    }

    private void accept(String id, String job, int second) {
        decide(id, Scenario.Kind.ACCEPT, Outcome.ACCEPTED, null, second, job, null);
        directives.add(new Keyed<>(s.topics.directives(Scenario.clusterOf(1)), directive(id, job, 1, "d-" + id)));
        reports.add(JobStatusReport.newBuilder().setClusterId(Scenario.clusterOf(1)).setJobId(job).setStatus(JobStatus.STOPPED)
                .setDirectiveId("d-" + id).setRequestId(id).setWorkerId("w").setReportedAt(T0.plusSeconds(second)).build());
        observations.add(JobObservation.newBuilder().setClusterId(Scenario.clusterOf(1)).setJobId(job).setAccountId(Scenario.OK)
                .setStatus(JobStatus.STOPPED).setJobStateRevision(1).setObservedAt(T0.plusSeconds(second))
                .setStoppedAt(T0.plusSeconds(second)).setDirectiveId("d-" + id).setRequestId(id).setWorkerId("w").build());
    }

    /** A decision result and its DECISION audit record. */
    private void decide(String id, Scenario.Kind kind, Outcome outcome, String code, int second, String job, String joined) {
        expected.put(id, kind);
        published.add(id);
        results.add(new Keyed<>(id, result(id, outcome, code, second).setJobId(job).setJoinedRequestId(joined).build()));
        audits.add(AuditRecord.newBuilder().setAuditId("audit-" + id).setEventType(AuditEventType.DECISION).setRequestId(id)
                .setAccountId(kind == Scenario.Kind.THROTTLE ? Scenario.THROTTLED : Scenario.OK).setOutcome(outcome)
                .setCode(code).setEventTime(T0.plusSeconds(second)).build());
    }

    private void throttled(String id, String code, int second) {
        decide(id, Scenario.Kind.THROTTLE, Outcome.REJECTED, code, second, null, null);
    }

    private void completed(String id) {
        results.add(new Keyed<>(id, result(id, Outcome.COMPLETED, null, 60).build()));
    }

    private StopResult.Builder result(String id, Outcome outcome, String code, int second) {
        return StopResult.newBuilder().setRequestId(id).setAccountId(Scenario.OK).setClusterId(Scenario.clusterOf(1))
                .setOutcome(outcome).setCode(code).setHttpStatus(outcome == Outcome.REJECTED ? 404 : 200)
                .setEventTime(T0.plusSeconds(second));
    }

    private StopDirective directive(String requestId, String job, int attempt, String directiveId) {
        return StopDirective.newBuilder().setDirectiveId(directiveId).setRequestId(requestId).setAccountId(Scenario.OK)
                .setClusterId(Scenario.clusterOf(1)).setJobId(job).setAttempt(attempt).setIssuedAt(T0)
                .setDeadline(T0.plusSeconds(600)).build();
    }
}
