package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.topics.JobKey;

class DecisionTest {

    @TempDir
    Path stateDir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir);
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void acceptsAStopOfARunningJobByTheRoot() {
        h.withRunningJob();
        h.send(command("r1").build(), T0);

        List<org.apache.kafka.streams.KeyValue<String, StopResult>> results = h.resultRecords();
        assertEquals(1, results.size());
        assertEquals("r1", results.get(0).key);
        StopResult r = results.get(0).value;
        assertEquals(Outcome.ACCEPTED, r.getOutcome());
        assertEquals(200, r.getHttpStatus());
        assertEquals(JOB, r.getJobId());
        assertNull(r.getCode());
        assertEquals("adapter-1", r.getReplyTo());
        assertEquals(T0, r.getEventTime().toEpochMilli());

        List<StopDirective> directives = h.directives(CLUSTER).readValuesToList();
        assertEquals(1, directives.size());
        StopDirective d = directives.get(0);
        assertEquals("r1#1", d.getDirectiveId());
        assertEquals(1, d.getAttempt());
        assertEquals(T0 + 30_000, d.getDeadline().toEpochMilli());
        assertEquals(T0, d.getIssuedAt().toEpochMilli());

        var audits = h.auditRecords();
        assertEquals(1, audits.size());
        assertEquals(ACCOUNT, audits.get(0).key());
        AuditRecord a = audits.get(0).value();
        assertEquals("r1:DECISION", a.getAuditId());
        assertEquals(AuditEventType.DECISION, a.getEventType());
        assertEquals("root principal", a.getPolicyVerdict());
        assertEquals(1L, a.getJobStateRevision());
        assertEquals(1L, a.getSettingsRevision());
        assertEquals(1, a.getQuotaCount());
        assertEquals(6000, a.getQuotaLimit());
        assertEquals("r1#1", a.getDirectiveId());
    }

    @Test
    void decisionsAreCountedByOutcomeAndCodeAndTheStopIsPending() {
        h.withRunningJob();
        h.send(command("r1").build(), T0);
        h.send(command("r2").build(), T0 + 1); // joins r1's stop in flight
        h.decide(command("r3").setJobId("nope").build(), T0 + 2);
        assertEquals(2, h.meters.counter("edgestop.orchestrator.decisions", "outcome", "ACCEPTED", "code", "Success").count());
        assertEquals(1, h.meters.counter("edgestop.orchestrator.decisions", "outcome", "REJECTED", "code", "JobNotFound").count());
        assertEquals(3, h.meters.timer("edgestop.orchestrator.decision.latency").count());
        assertEquals(1, h.meters.get("edgestop.orchestrator.pending.stops").gauge().value(), "one stop, joined");
    }

    @Test
    void missingParametersAreNamedInOrder() {
        h.withRunningJob();
        StopResult r = h.decide(command("r1").setClusterId(null).setJobId("").build(), T0);
        assertEquals("MissingParameter", r.getCode());
        assertEquals(400, r.getHttpStatus());
        assertEquals("The input parameter \"ClusterId\" that is mandatory for processing this request is not supplied.", r.getMessage());
        assertTrue(h.decide(command("r2").setJobId(" ").build(), T0).getMessage().contains("\"JobId\""));
        assertTrue(h.decide(command("r3").setAccountId(null).build(), T0).getMessage().contains("\"AccountId\""));
        StopResult noRequest = h.decide(command(null).build(), T0);
        assertTrue(noRequest.getMessage().contains("\"RequestId\""));
        assertEquals("", noRequest.getRequestId());
        assertEquals(4, h.audits().size());
        assertTrue(h.directives(CLUSTER).isEmpty());
    }

    @Test
    void missingAccountWithNullKeyIsStillAnswered() {
        h.withRunningJob();
        h.commands.pipeInput(null, command("r1").setAccountId(null).build(), T0);
        List<StopResult> out = h.results.readValuesToList();
        assertEquals(1, out.size());
        assertEquals("MissingParameter", out.get(0).getCode());
    }

    @Test
    void unknownJobAndOtherAccountsJobAreNotFound() {
        h.withRunningJob();
        StopResult r = h.decide(command("r1").setJobId("nope").build(), T0);
        assertEquals("JobNotFound", r.getCode());
        assertEquals(404, r.getHttpStatus());
        assertEquals("The specified job does not exist.", r.getMessage());

        h.jobStates.pipeInput(JobKey.of(CLUSTER, "theirs"), job(JobStatus.RUNNING, 5).setJobId("theirs").setAccountId("999").build(), T0 - 1000);
        StopResult other = h.decide(command("r2").setJobId("theirs").build(), T0);
        assertEquals("JobNotFound", other.getCode());
        List<AuditRecord> audits = h.audits();
        assertNull(audits.get(1).getJobStateRevision(), "never reveals another account's job");
        assertEquals("The specified job does not exist.", other.getMessage());

        StopResult badCluster = h.decide(command("r3").setClusterId("bad cluster*").build(), T0);
        assertEquals("JobNotFound", badCluster.getCode());
    }

    @Test
    void featureDisabledOrMissingSettingsIsOperationDenied() {
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.RUNNING, 1).build(), T0 - 1000);
        StopResult r = h.decide(command("r1").build(), T0);
        assertEquals("OperationDenied", r.getCode());
        assertEquals(403, r.getHttpStatus());
        assertEquals("Your account does not have the edge transcoding feature enabled.", r.getMessage());

        h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(enabled(2)).setEdgeTranscodeEnabled(false).build(), T0 + 1);
        assertEquals("OperationDenied", h.decide(command("r2").build(), T0 + 2).getCode());
    }

    @Test
    void permissionAllowDenyAndNoStatement() {
        h.withRunningJob();
        String resource = "acs:live:*:" + ACCOUNT + ":domain/" + DOMAIN;
        // no policy at all
        StopResult none = h.decide(command("r1").setPrincipal(ALICE).build(), T0);
        assertEquals("Forbidden", none.getCode());
        assertEquals(403, none.getHttpStatus());
        assertEquals("User not authorized to operate on the specified resource.", none.getMessage());
        assertEquals("no statement allowed", h.audits().get(0).getPolicyVerdict());

        // allow with wildcards
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 2, policy("LiveOps", allowStop("acs:live:*:" + ACCOUNT + ":domain/*.example.com"))), T0 + 10);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r2").setPrincipal(ALICE).build(), T0 + 20).getOutcome());
        AuditRecord allowed = h.audits().get(0);
        assertEquals("Allow by LiveOps#0", allowed.getPolicyVerdict());
        assertEquals(2L, allowed.getPoliciesRevision());

        // deny wins over allow
        String deny = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"live:Stop*\"],\"Resource\":\"" + resource + "\"}]}";
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 3, policy("LiveOps", allowStop(resource)), policy("NoStops", deny)), T0 + 30);
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "job-2"), job(JobStatus.RUNNING, 1).setJobId("job-2").build(), T0);
        StopResult denied = h.decide(command("r3").setJobId("job-2").setPrincipal(ALICE).build(), T0 + 40);
        assertEquals("Forbidden", denied.getCode());
        assertEquals("Deny by NoStops#0", h.audits().get(0).getPolicyVerdict());
    }

    @Test
    void anInvalidPolicyFailsClosed() {
        h.withRunningJob();
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 1, policy("Broken", "{not json"),
                policy("LiveOps", allowStop("acs:live:*:*:domain/*"))), T0 - 10);
        assertEquals("Forbidden", h.decide(command("r1").setPrincipal(ALICE).build(), T0).getCode());
        assertEquals("invalid policy Broken denies (fails closed): not a JSON object", h.audits().get(0).getPolicyVerdict());
        // reported when loaded: the orchestrator's log and counter name it
        assertEquals(1.0, h.meters.get("edgestop.orchestrator.policies.invalid").counter().count());
        assertEquals(List.of("policy Broken of " + ALICE + ": not a JSON object"),
                PolicyAdmission.problems(policies(ALICE, 1, policy("Broken", "{not json"), policy("LiveOps", allowStop("*")))));
    }

    @Test
    void aPolicyWithAnUnknownEffectIsReportedWhenLoadedAndDeniesItsPrincipalOnly() {
        h.withRunningJob();
        String maybe = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        String bob = "acs:ram::" + ACCOUNT + ":user/bob";
        h.policies.pipeInput(ACCOUNT, AccountPolicies.newBuilder(policies(ALICE, 1, policy("Odd", maybe)))
                .setPrincipals(Map.of(ALICE, List.of(policy("Odd", maybe)), bob, List.of(policy("Ops", allowStop("*"))))).build(), T0 - 10);
        assertEquals(1.0, h.meters.get("edgestop.orchestrator.policies.invalid").counter().count());
        assertEquals("Forbidden", h.decide(command("r1").setPrincipal(ALICE).build(), T0).getCode());
        String verdict = h.audits().get(0).getPolicyVerdict();
        assertTrue(verdict.startsWith("invalid policy Odd denies (fails closed)"), verdict);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r2").setPrincipal(bob).build(), T0 + 1).getOutcome());
    }

    @Test
    void conditionsUseTheCommandsIpTransportAndEventTime() {
        h.withRunningJob();
        String doc = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:stopedgetranscodejob\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":[\"192.168.0.0/16\",\"10.0.0.0/8\"]},"
                + "\"Bool\":{\"acs:SecureTransport\":\"true\"},"
                + "\"DateLessThan\":{\"acs:CurrentTime\":\"2026-01-01T00:01:00Z\"}}}]}";
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 1, policy("Cond", doc)), T0 - 10);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r1").setPrincipal(ALICE).build(), T0).getOutcome());
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "j2"), job(JobStatus.RUNNING, 1).setJobId("j2").build(), T0);
        assertEquals("Forbidden", h.decide(command("r2").setJobId("j2").setPrincipal(ALICE).setSourceIp("8.8.8.8").build(), T0).getCode());
        assertEquals("Forbidden", h.decide(command("r3").setJobId("j2").setPrincipal(ALICE).setSecureTransport(false).build(), T0).getCode());
        assertEquals("Forbidden", h.decide(command("r4").setJobId("j2").setPrincipal(ALICE).build(), T0 + 60_000).getCode());
        assertEquals(Outcome.ACCEPTED, h.decide(command("r5").setJobId("j2").setPrincipal(ALICE).build(), T0 + 59_999).getOutcome());
    }

    @Test
    void jobNotRunningIsOperationDenied() {
        h.settings.pipeInput(ACCOUNT, enabled(1), T0 - 1000);
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.STOPPED, 4).build(), T0 - 1000);
        StopResult r = h.decide(command("r1").build(), T0);
        assertEquals("OperationDenied", r.getCode());
        assertEquals(403, r.getHttpStatus());
        assertTrue(r.getMessage().contains("not running"), r.getMessage());
        assertEquals(4L, h.audits().get(0).getJobStateRevision());
    }

    @Test
    void asOfLookupsUseTheTablesAtTheCommandTimestamp() {
        h.settings.pipeInput(ACCOUNT, enabled(1), T0 - 1000);
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.RUNNING, 1).build(), T0 - 1000);
        // the job stops just AFTER the command; the settings are disabled just after it too
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.STOPPED, 2).build(), T0 + 1);
        h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(enabled(2)).setEdgeTranscodeEnabled(false).build(), T0 + 1);
        StopResult before = h.decide(command("r1").build(), T0);
        assertEquals(Outcome.ACCEPTED, before.getOutcome(), "sees the state as of T0");
        AuditRecord a = h.audits().get(0);
        assertEquals(1L, a.getJobStateRevision());
        assertEquals(1L, a.getSettingsRevision());
        // a command at the instant of the change sees the change
        StopResult at = h.decide(command("r2").build(), T0 + 1);
        assertEquals("OperationDenied", at.getCode());
        assertEquals(2L, h.audits().get(0).getSettingsRevision());
        // a job created just after the command is not found
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "late"), job(JobStatus.RUNNING, 1).setJobId("late").build(), T0 + 5);
        assertEquals("JobNotFound", h.decide(command("r3").setJobId("late").build(), T0 + 4).getCode());
    }

    @Test
    void policiesAreReadAsOfTheCommandTimestamp() {
        h.withRunningJob();
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "j2"), job(JobStatus.RUNNING, 1).setJobId("j2").build(), T0 - 10);
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 1, policy("Ops", allowStop("*"))), T0 - 10);
        // revoked one millisecond after the command (processed before it)
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 2), T0 + 1);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r1").setPrincipal(ALICE).build(), T0).getOutcome());
        assertEquals(1L, h.audits().get(0).getPoliciesRevision());
        StopResult after = h.decide(command("r2").setJobId("j2").setPrincipal(ALICE).build(), T0 + 1);
        assertEquals("Forbidden", after.getCode());
        AuditRecord a = h.audits().get(0);
        assertEquals(2L, a.getPoliciesRevision());
        assertEquals("no statement allowed", a.getPolicyVerdict());
    }

    @Test
    void theSameRequestRepeatedWhileInFlightIsAcceptedAgainWithoutADirective() {
        h.withRunningJob();
        h.send(command("r1").build(), T0);
        h.send(command("r1").build(), T0 + 1);
        List<StopResult> results = h.results.readValuesToList();
        assertEquals(2, results.size());
        assertEquals("r1", results.get(1).getJoinedRequestId());
        assertEquals(1, h.directives(CLUSTER).readValuesToList().size());
    }

    @Test
    void aRepeatWhileInFlightJoinsWithoutASecondDirective() {
        h.withRunningJob();
        h.send(command("r1").build(), T0);
        h.send(command("r2").build(), T0 + 100);
        List<StopResult> results = h.results.readValuesToList();
        assertEquals(2, results.size());
        assertEquals(Outcome.ACCEPTED, results.get(1).getOutcome());
        assertEquals("r1", results.get(1).getJoinedRequestId());
        assertEquals(JOB, results.get(1).getJobId());
        List<AuditRecord> audits = h.audits();
        assertEquals("r1", audits.get(1).getJoinedRequestId());
        assertEquals(1, h.directives(CLUSTER).readValuesToList().size());
    }

    @Test
    void aWorkerReportStopsTheJobAndCompletesThePendingStop() {
        h.withRunningJob();
        h.send(command("r1").build(), T0);
        h.send(command("r2").build(), T0 + 10);
        h.results.readValuesToList();
        h.audits();
        h.reports.pipeInput(JobKey.of(CLUSTER, JOB), io.edgestop.schema.JobStatusReport.newBuilder()
                .setClusterId(CLUSTER).setJobId(JOB).setStatus(JobStatus.STOPPED)
                .setStoppedAt(java.time.Instant.ofEpochMilli(T0 + 500)).setDirectiveId("r1#1").setRequestId("r1")
                .setWorkerId("w1").setReportedAt(java.time.Instant.ofEpochMilli(T0 + 600)).build(), T0 + 600);
        List<io.edgestop.schema.JobObservation> observed = h.observations.readValuesToList();
        assertEquals(1, observed.size(), "the stop is observed once, on the orchestrator's own topic");
        assertEquals(JobStatus.STOPPED, observed.get(0).getStatus());
        assertEquals(1L, observed.get(0).getJobStateRevision(), "made on the control plane's revision 1");
        assertEquals(T0 + 500, observed.get(0).getStoppedAt().toEpochMilli());
        assertEquals("r1#1", observed.get(0).getDirectiveId());
        assertEquals("r1", observed.get(0).getRequestId());
        assertEquals("w1", observed.get(0).getWorkerId());

        List<org.apache.kafka.streams.KeyValue<String, StopResult>> done = h.resultRecords();
        assertEquals(2, done.size(), "the request and the one that joined it");
        assertEquals("r1", done.get(0).key);
        assertEquals(Outcome.COMPLETED, done.get(0).value.getOutcome());
        assertEquals("r2", done.get(1).key);
        assertEquals("r1", done.get(1).value.getJoinedRequestId());
        List<AuditRecord> audits = h.audits();
        assertEquals(AuditEventType.COMPLETED, audits.get(0).getEventType());
        assertEquals("r1:COMPLETED", audits.get(0).getAuditId());
        assertEquals(1L, audits.get(0).getJobStateRevision());

        // the job is now stopped: a new stop is OperationDenied, nothing pending remains
        assertEquals("OperationDenied", h.decide(command("r3").build(), T0 + 700).getCode());
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.RUNNING, 3).build(), T0 + 200_000);
        assertTrue(h.results.isEmpty(), "no redelivery or timeout after completion");
        // the control plane's newer revision (the job restarted) supersedes the observation
        assertEquals(Outcome.ACCEPTED, h.decide(command("r4").build(), T0 + 200_001).getOutcome());
        assertFalse(h.driver.producedTopicNames().contains(h.topics.jobState()), "the orchestrator never writes job-state");
    }

    @Test
    void aLateCommandAcceptedAfterTheJobStoppedIsCompletedByTheNextReport() {
        h.withRunningJob();
        h.send(command("r1").build(), T0 + 100);
        h.reports.pipeInput(JobKey.of(CLUSTER, JOB), report("r1#1", T0 + 150), T0 + 150);
        // r2 was made at T0+120, when the job still ran, but is processed after the stop
        h.send(command("r2").build(), T0 + 120);
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.COMPLETED, Outcome.ACCEPTED),
                h.results.readValuesToList().stream().map(StopResult::getOutcome).toList());
        assertEquals(2, h.directives(CLUSTER).readValuesToList().size());
        // the worker answers the second directive with STOPPED again: the stop is closed
        h.reports.pipeInput(JobKey.of(CLUSTER, JOB), report("r2#1", T0 + 200), T0 + 200);
        List<StopResult> done = h.results.readValuesToList();
        assertEquals(1, done.size());
        assertEquals("r2", done.get(0).getRequestId());
        assertEquals(Outcome.COMPLETED, done.get(0).getOutcome());
        List<io.edgestop.schema.JobObservation> observed = h.observations.readValuesToList();
        assertEquals(List.of("r1", "r2"), observed.stream().map(o -> o.getRequestId()).toList());
    }

    private static io.edgestop.schema.JobStatusReport report(String directiveId, long at) {
        return io.edgestop.schema.JobStatusReport.newBuilder().setClusterId(CLUSTER).setJobId(JOB).setStatus(JobStatus.STOPPED)
                .setStoppedAt(java.time.Instant.ofEpochMilli(at)).setDirectiveId(directiveId).setWorkerId("w1")
                .setReportedAt(java.time.Instant.ofEpochMilli(at)).build();
    }

    @Test
    void redeliveryThenTimeoutOnStreamTime() {
        h = reopen(Map.of(OrchestratorConfig.DIRECTIVE_MAX_ATTEMPTS, "3"));
        h.withRunningJob();
        h.send(command("r1").build(), T0);
        h.results.readValuesToList();
        h.audits();
        var directives = h.directives(CLUSTER);
        assertEquals(1, directives.readValuesToList().size());

        // stream time just before the deadline: nothing
        h.tick(T0 + 29_999);
        assertTrue(directives.isEmpty());
        // at the deadline: attempt 2
        h.tick(T0 + 30_000);
        List<StopDirective> second = directives.readValuesToList();
        assertEquals(1, second.size());
        assertEquals("r1#2", second.get(0).getDirectiveId());
        assertEquals(2, second.get(0).getAttempt());
        assertEquals(T0 + 30_000, second.get(0).getIssuedAt().toEpochMilli());
        assertEquals(T0 + 60_000, second.get(0).getDeadline().toEpochMilli());
        List<AuditRecord> audits = h.audits();
        assertEquals(1, audits.size());
        assertEquals(AuditEventType.DIRECTIVE_REDELIVERED, audits.get(0).getEventType());
        assertEquals("r1:DIRECTIVE_REDELIVERED:2", audits.get(0).getAuditId());
        assertTrue(h.results.isEmpty());

        // a big jump: attempt 3, then timed out after it
        h.tick(T0 + 500_000);
        List<StopDirective> third = directives.readValuesToList();
        assertEquals(1, third.size());
        assertEquals(3, third.get(0).getAttempt());
        List<StopResult> results = h.results.readValuesToList();
        assertEquals(1, results.size());
        assertEquals(Outcome.TIMED_OUT, results.get(0).getOutcome());
        assertEquals(T0 + 90_000, results.get(0).getEventTime().toEpochMilli());
        audits = h.audits();
        assertEquals(2, audits.size());
        assertEquals(AuditEventType.TIMED_OUT, audits.get(1).getEventType());
        assertEquals("r1:TIMED_OUT", audits.get(1).getAuditId());

        // closed: a new stop gets a fresh directive
        h.send(command("r9").build(), T0 + 500_001);
        assertEquals(Outcome.ACCEPTED, h.results.readValuesToList().get(0).getOutcome());
        assertEquals("r9#1", directives.readValuesToList().get(0).getDirectiveId());
    }

    @Test
    void aStopWhoseJobTheControlPlaneShowsStoppedCompletesAtItsDeadline() {
        h.withRunningJob();
        h.send(command("r1").build(), T0);
        h.results.readValuesToList();
        h.audits();
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.STOPPED, 2).build(), T0 + 1000);
        h.tick(T0 + 30_000);
        List<StopResult> done = h.results.readValuesToList();
        assertEquals(1, done.size());
        assertEquals(Outcome.COMPLETED, done.get(0).getOutcome());
        assertEquals(T0 + 30_000, done.get(0).getEventTime().toEpochMilli());
        assertEquals(2L, h.audits().get(0).getJobStateRevision());
        assertTrue(h.directives(CLUSTER).readValuesToList().size() == 1, "no second directive");
    }

    @Test
    void directivesGoToTheirClustersTopic() {
        h.withRunningJob();
        h.jobStates.pipeInput(JobKey.of("cluster-b", JOB), job(JobStatus.RUNNING, 1).setClusterId("cluster-b").build(), T0 - 10);
        h.send(command("r1").build(), T0);
        h.send(command("r2").setClusterId("cluster-b").build(), T0);
        var a = h.directives(CLUSTER).readKeyValuesToList();
        var b = h.directives("cluster-b").readKeyValuesToList();
        assertEquals(1, a.size());
        assertEquals(JobKey.of(CLUSTER, JOB), a.get(0).key);
        assertEquals(1, b.size());
        assertEquals("r2#1", b.get(0).value.getDirectiveId());
    }

    @Test
    void reusedSignatureNonceIsRejectedWithinTwoWindows() {
        h.withRunningJob();
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "j2"), job(JobStatus.RUNNING, 1).setJobId("j2").build(), T0 - 10);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r1").setSignatureNonce("n-1").build(), T0).getOutcome());
        // a request signed one window ahead of its first arrival is accepted by an adapter up to two windows later
        StopResult again = h.decide(command("r2").setJobId("j2").setSignatureNonce("n-1").build(), T0 + 1_799_999);
        assertEquals("SignatureNonceUsed", again.getCode());
        assertEquals(400, again.getHttpStatus());
        assertEquals("Specified signature nonce was used already.", again.getMessage());
        // another access key may use the same nonce
        assertNotEquals("SignatureNonceUsed", h.decide(command("r3").setJobId("j2").setAccessKeyId("AK2").setSignatureNonce("n-1").build(), T0 + 1).getCode());
        // two windows later it is fresh again
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "j3"), job(JobStatus.RUNNING, 1).setJobId("j3").build(), T0 - 10);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r4").setJobId("j3").setSignatureNonce("n-1").build(), T0 + 1_800_001).getOutcome());
        // commands without a nonce are never nonce-checked
        assertNotEquals("SignatureNonceUsed", h.decide(command("r5").setJobId("j3").build(), T0 + 1_800_002).getCode());
    }

    @Test
    void quotaThrottlesOverTheLimitOnAlignedSecondWindows() {
        h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(enabled(1)).setStopCallsPerMinute(3).build(), T0 - 1000);
        // no job needed: quota comes before job lookup; rejected calls still count
        long base = T0 + 10_500; // bucket 10
        assertEquals("JobNotFound", h.decide(command("a").build(), base).getCode());
        assertEquals("JobNotFound", h.decide(command("b").build(), base + 20_000).getCode());
        assertEquals("JobNotFound", h.decide(command("c").build(), base + 40_000).getCode());
        StopResult throttled = h.decide(command("d").build(), base + 59_000); // bucket 69: window [10..69] holds 3
        assertEquals("Throttling.User", throttled.getCode());
        assertEquals(429, throttled.getHttpStatus());
        assertEquals("Request was denied due to user flow control.", throttled.getMessage());
        AuditRecord audit = h.audits().get(3);
        assertEquals(4, audit.getQuotaCount());
        assertEquals(3, audit.getQuotaLimit());
        // bucket 70: the window [11..70] holds only 2 -> counted again
        assertEquals("JobNotFound", h.decide(command("e").build(), T0 + 70_000).getCode());
        // out of order, bucket 0: window [0..59] holds a,b,c -> throttled
        assertEquals("Throttling.User", h.decide(command("f").build(), T0 + 100).getCode());
    }

    /** The hint a throttled call carries: a retry at that time passes the quota, one a second earlier does not. */
    @Test
    void aThrottledCallSaysWhenARetryCanSucceed() {
        h.withRunningJob();
        h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(enabled(2)).setStopCallsPerMinute(2).build(), T0 - 1000);
        long first = T0 + 5_250; // bucket 5
        StopResult notFound = h.decide(command("a").setJobId("none").build(), first);
        assertEquals("JobNotFound", notFound.getCode());
        assertNull(notFound.getRetryAfterMs(), "no hint on other answers");
        assertEquals("JobNotFound", h.decide(command("b").setJobId("none").build(), T0 + 20_000).getCode());
        long at = T0 + 30_700;
        StopResult throttled = h.decide(command("c").build(), at);
        assertEquals("Throttling.User", throttled.getCode());
        // bucket 65 is the first whose windows all leave out bucket 5: 65 s after T0
        assertEquals(65_000 - 30_700, throttled.getRetryAfterMs());
        long retryAt = at + throttled.getRetryAfterMs();
        StopResult early = h.decide(command("d").build(), retryAt - 1000);
        assertEquals("Throttling.User", early.getCode(), "a second before the hint");
        assertEquals(1000, early.getRetryAfterMs(), "the same moment, counted from the later call");
        assertEquals(Outcome.ACCEPTED, h.decide(command("e").build(), retryAt).getOutcome(), "at the hint");
    }

    @Test
    void defaultQuotaComesFromConfig() {
        h = reopen(Map.of(OrchestratorConfig.QUOTA_DEFAULT_PER_MINUTE, "2"));
        assertEquals("OperationDenied".length() > 0, true);
        assertEquals("JobNotFound", h.decide(command("a").build(), T0).getCode());
        assertEquals("JobNotFound", h.decide(command("b").build(), T0).getCode());
        assertEquals("Throttling.User", h.decide(command("c").build(), T0).getCode());
        assertEquals(2, h.audits().get(2).getQuotaLimit());
    }

    private Harness reopen(Map<String, String> overrides) {
        h.close();
        return new Harness(stateDir.resolve("again-" + System.nanoTime()), overrides);
    }
}
