package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.topics.JobKey;

/**
 * The decider's binding of async producers (issue 21 section 2): a command on {@code async-commands.<producer>}
 * acts only for an account whose settings, as of the command's time, name that producer and the principal it
 * acts as; the adapter's facts (source IP, secure transport, a verified AccessKeyId) are never taken from it.
 */
class AsyncProducerTest {

    static final String BILLING = "billing";
    static final String OTHER_ACCOUNT = "9999999999";

    @TempDir
    Path stateDir;
    Harness h;
    TestInputTopic<String, StopCommand> billing;
    TestInputTopic<String, StopCommand> unlisted;

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Map.of(OrchestratorConfig.ASYNC_PRODUCERS, BILLING + ",unlisted"));
        billing = h.asyncCommands(BILLING);
        unlisted = h.asyncCommands("unlisted");
        h.jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.RUNNING, 1).build(), T0 - 3_600_000);
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 1, policy("Stop", allowStop("*"))), T0 - 3_600_000);
        h.settings.pipeInput(ACCOUNT, allowing(Map.of(BILLING, List.of(ALICE)), 1), T0 - 3_600_000);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    static AccountSettings allowing(Map<String, List<String>> producers, long revision) {
        return AccountSettings.newBuilder(enabled(revision)).setAsyncProducers(Map.copyOf(producers)).build();
    }

    /** The one decision of {@code c}, sent on {@code topic} at {@code ts}. */
    StopResult decide(TestInputTopic<String, StopCommand> topic, StopCommand c, long ts) {
        topic.pipeInput(c.getAccountId(), c, ts);
        List<StopResult> out = h.results.readValuesToList().stream().filter(r -> r.getRequestId().equals(c.getRequestId())).toList();
        assertEquals(1, out.size(), out.toString());
        return out.get(0);
    }

    static StopCommand.Builder asAlice(String requestId) {
        return command(requestId).setPrincipal(ALICE).setAccessKeyId(null).setSourceIp(null).setSecureTransport(false);
    }

    @Test
    void anAllowedProducerStopsAsTheListedPrincipal() {
        StopResult r = decide(billing, asAlice("a1").build(), T0);
        assertEquals(Outcome.ACCEPTED, r.getOutcome(), r.toString());
        assertEquals(1, h.directives(CLUSTER).readValuesToList().size());
        AuditRecord a = h.audits().get(0);
        assertEquals(Outcome.ACCEPTED, a.getOutcome());
        assertEquals(ALICE, a.getCommand().getPrincipal());
    }

    @Test
    void anotherAccountIsRefusedEvenWithItsRootAndTheSameJob() {
        // the other account has the feature on and owns a running job, but does not allow billing
        h.settings.pipeInput(OTHER_ACCOUNT, AccountSettings.newBuilder().setAccountId(OTHER_ACCOUNT).setEdgeTranscodeEnabled(true)
                .setRevision(1).build(), T0 - 3_600_000);
        h.jobStates.pipeInput(JobKey.of(CLUSTER, "their-job"), job(JobStatus.RUNNING, 1).setJobId("their-job")
                .setAccountId(OTHER_ACCOUNT).build(), T0 - 3_600_000);
        StopResult r = decide(billing, command("o1").setAccountId(OTHER_ACCOUNT).setJobId("their-job")
                .setPrincipal("acs:ram::" + OTHER_ACCOUNT + ":root").build(), T0);
        assertForbidden(r, "The async producer billing may not act as acs:ram::" + OTHER_ACCOUNT + ":root for account "
                + OTHER_ACCOUNT + ".");
        // nor with a principal its own account lists for it, named under the other account
        assertForbidden(decide(billing, asAlice("o2").setAccountId(OTHER_ACCOUNT).setJobId("their-job").build(), T0), null);
        assertTrue(h.directives(CLUSTER).readValuesToList().isEmpty());
    }

    @Test
    void rootIsRefusedUnlessListedThenAllowed() {
        assertForbidden(decide(billing, command("root1").setPrincipal(ROOT).build(), T0), null);
        h.settings.pipeInput(ACCOUNT, allowing(Map.of(BILLING, List.of(ALICE, ROOT)), 2), T0 + 10);
        assertEquals(Outcome.ACCEPTED, decide(billing, command("root2").setPrincipal(ROOT).build(), T0 + 20).getOutcome());
    }

    @Test
    void anUnlistedPrincipalOrProducerOrNoPrincipalIsRefused() {
        // one stop a minute: a refused command must not spend it
        h.settings.pipeInput(ACCOUNT, AccountSettings.newBuilder(allowing(Map.of(BILLING, List.of(ALICE)), 2))
                .setStopCallsPerMinute(1).build(), T0 - 10);
        String bob = "acs:ram::" + ACCOUNT + ":user/bob";
        h.policies.pipeInput(ACCOUNT, AccountPolicies.newBuilder(policies(bob, 2, policy("Stop", allowStop("*"))))
                .setPrincipals(Map.of(bob, List.of(policy("Stop", allowStop("*"))), ALICE, List.of(policy("Stop", allowStop("*")))))
                .build(), T0 - 10);
        assertForbidden(decide(billing, asAlice("b1").setPrincipal(bob).build(), T0), null);
        assertForbidden(decide(billing, asAlice("b2").setPrincipal(null).build(), T0), null);
        assertForbidden(decide(unlisted, asAlice("u1").build(), T0), "The async producer unlisted may not act as " + ALICE
                + " for account " + ACCOUNT + ".");
        // the binding is read as of the command's time: before the settings named billing, it could not act
        assertForbidden(decide(billing, asAlice("early").build(), T0 - 3_600_001), null);
        // none of the refused commands took the minute's one stop
        StopResult after = decide(billing, asAlice("after").build(), T0);
        assertEquals(Outcome.ACCEPTED, after.getOutcome(), after.toString());
    }

    @Test
    void theAdaptersFactsAreNotTakenFromAnAsyncCommand() {
        // Alice may stop only from the office network over HTTPS: an async producer cannot claim either
        String doc = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:StopEdgeTranscodeJob\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"},"
                + "\"Bool\":{\"acs:SecureTransport\":\"true\"}}}]}";
        h.policies.pipeInput(ACCOUNT, policies(ALICE, 2, policy("Office", doc)), T0 - 10);
        StopCommand forged = asAlice("f1").setSourceIp("10.0.0.7").setSecureTransport(true).setAccessKeyId("AK1")
                .setSignatureNonce("n-1").build();
        StopResult r = decide(billing, forged, T0);
        assertEquals("Forbidden", r.getCode(), r.toString());
        StopCommand audited = h.audits().get(0).getCommand();
        assertNull(audited.getSourceIp());
        assertFalse(audited.getSecureTransport());
        assertNull(audited.getAccessKeyId());
        // the same facts from the adapter's topic are believed, and its nonce n-1 of AK1 was not spent by the producer
        assertEquals(Outcome.ACCEPTED, h.decide(command("f2").setPrincipal(ALICE).setSignatureNonce("n-1").build(), T0).getOutcome());
    }

    private void assertForbidden(StopResult r, String message) {
        assertEquals(Outcome.REJECTED, r.getOutcome(), r.toString());
        assertEquals("Forbidden.AsyncProducer", r.getCode());
        assertEquals(403, r.getHttpStatus());
        if (message != null) {
            assertEquals(message, r.getMessage());
        }
        AuditRecord a = h.audits().stream().filter(x -> x.getRequestId().equals(r.getRequestId())).findFirst().orElseThrow();
        assertEquals("Forbidden.AsyncProducer", a.getCode());
    }
}
