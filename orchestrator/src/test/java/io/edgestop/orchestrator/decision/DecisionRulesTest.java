package io.edgestop.orchestrator.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgestop.api.ApiError;
import io.edgestop.orchestrator.decision.policy.Verdict;
import io.edgestop.orchestrator.decision.quota.QuotaLedger;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.StopCommand;

/** {@link DecisionRules} one by one, on plain values: what each rule rejects and with which error, and what passes. */
class DecisionRulesTest {

    static final long T = 1_700_000_000_000L;
    static final String ACCOUNT = "1234567890";
    static final String CLUSTER = "cluster-a";
    static final String JOB = "job-1";
    static final String DOMAIN = "live.example.com";
    static final String ALICE = "acs:ram::" + ACCOUNT + ":user/alice";

    static StopCommand.Builder command() {
        return StopCommand.newBuilder().setRequestId("r-1").setAccountId(ACCOUNT).setPrincipal(ALICE).setAccessKeyId("AK1")
                .setSourceIp("10.0.0.7").setSecureTransport(true).setRequestTime(Instant.ofEpochMilli(T))
                .setClusterId(CLUSTER).setJobId(JOB).setSignatureNonce("n-1").setReplyTo("adapter-1");
    }

    static AccountSettings.Builder settings() {
        return AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true).setRevision(1);
    }

    static JobState job(String accountId) {
        return JobState.newBuilder().setClusterId(CLUSTER).setJobId(JOB).setAccountId(accountId).setDomainName(DOMAIN)
                .setStatus(JobStatus.RUNNING).setRevision(3).build();
    }

    static void assertRejects(ApiError error, Rejection rejection) {
        assertNotNull(rejection, error.code());
        assertEquals(error.code(), rejection.code());
        assertEquals(error.httpStatus(), rejection.httpStatus());
    }

    @Test
    void aCommandOfTheAdapterIsBoundToNoProducer() {
        assertNull(DecisionRules.producerBinding(command().build(), null, null));
    }

    @Test
    void anAsyncProducerActsOnlyAsThePrincipalsItsAccountLists() {
        AccountSettings listed = settings().setAsyncProducers(Map.of("batch", List.of(ALICE))).build();
        assertNull(DecisionRules.producerBinding(command().build(), "batch", listed));
        assertRejects(ApiError.FORBIDDEN_ASYNC_PRODUCER, DecisionRules.producerBinding(command().build(), "other", listed));
        assertRejects(ApiError.FORBIDDEN_ASYNC_PRODUCER,
                DecisionRules.producerBinding(command().setPrincipal("acs:ram::" + ACCOUNT + ":user/bob").build(), "batch", listed));
        assertRejects(ApiError.FORBIDDEN_ASYNC_PRODUCER, DecisionRules.producerBinding(command().build(), "batch", null));
        Rejection nobody = DecisionRules.producerBinding(command().setPrincipal(null).build(), "batch", listed);
        assertTrue(nobody.message().contains("no principal"), nobody.message());
    }

    @Test
    void aCommandWithoutAccountIsLeftToTheParameterRule() {
        assertNull(DecisionRules.producerBinding(command().setAccountId(null).build(), "batch", null));
        assertEquals("The input parameter \"AccountId\" that is mandatory for processing this request is not supplied.",
                DecisionRules.parameters(command().setAccountId(null).build(), null).message());
    }

    @Test
    void theFirstMissingParameterIsNamedBeforeAnOverLongOne() {
        assertNull(DecisionRules.parameters(command().build(), null));
        Rejection missing = DecisionRules.parameters(command().setJobId(" ").setRequestId(null).build(), "ClusterId");
        assertRejects(ApiError.MISSING_PARAMETER, missing);
        assertTrue(missing.message().contains("\"JobId\""), missing.message());
        Rejection tooLong = DecisionRules.parameters(command().build(), "ClusterId");
        assertRejects(ApiError.INVALID_PARAMETER, tooLong);
        assertEquals("The parameter \"ClusterId\" is longer than " + CommandSize.MAX_FIELD_CHARS + " characters.", tooLong.message());
    }

    @Test
    void theQuotaIsTheAccountsOwnElseTheDefault() {
        assertEquals(6000, DecisionRules.quotaLimit(null, 6000));
        assertEquals(6000, DecisionRules.quotaLimit(settings().build(), 6000));
        assertEquals(2, DecisionRules.quotaLimit(settings().setStopCallsPerMinute(2).build(), 6000));
    }

    @Test
    void aCallWithoutRoomIsThrottledWithItsRetryTime() {
        assertNull(DecisionRules.quota(new QuotaLedger.Decision(true, 1, null)));
        Rejection throttled = DecisionRules.quota(new QuotaLedger.Decision(false, 3, 41_000L));
        assertRejects(ApiError.THROTTLING_USER, throttled);
        assertEquals(41_000L, throttled.retryAfterMs());
        assertNull(DecisionRules.quota(new QuotaLedger.Decision(false, null, null)).retryAfterMs(), "too late to check");
    }

    @Test
    void onlyAJobOfTheAccountOnARoutableClusterIsFound() {
        assertNull(DecisionRules.jobLookup(command().build(), job(ACCOUNT)));
        assertRejects(ApiError.JOB_NOT_FOUND, DecisionRules.jobLookup(command().build(), null));
        assertRejects(ApiError.JOB_NOT_FOUND, DecisionRules.jobLookup(command().build(), job("another-account")));
        assertRejects(ApiError.JOB_NOT_FOUND, DecisionRules.jobLookup(command().setClusterId("a/b").build(), job(ACCOUNT)));
    }

    @Test
    void theFeatureMustBeEnabledInTheAccountsSettings() {
        assertNull(DecisionRules.feature(settings().build()));
        Rejection disabled = DecisionRules.feature(settings().setEdgeTranscodeEnabled(false).build());
        assertRejects(ApiError.OPERATION_DENIED, disabled);
        assertEquals(disabled, DecisionRules.feature(null), "no settings: as disabled");
    }

    @Test
    void permissionIsThePrincipalsPoliciesOnTheJobsDomainAtTheCommandsTime() {
        String allow = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:StopEdgeTranscodeJob\","
                + "\"Resource\":\"acs:live:*:" + ACCOUNT + ":domain/" + DOMAIN + "\"}]}";
        AccountPolicies policies = AccountPolicies.newBuilder().setAccountId(ACCOUNT).setRevision(1)
                .setPrincipals(Map.of(ALICE, List.of(RamPolicy.newBuilder().setPolicyName("P").setDocument(allow).build()))).build();
        Verdict allowed = DecisionRules.permission(command().build(), policies, DOMAIN, T);
        assertTrue(allowed.allowed());
        assertEquals("Allow by P#0", allowed.auditText());
        assertFalse(DecisionRules.permission(command().build(), policies, "other.example.com", T).allowed());
        assertFalse(DecisionRules.permission(command().build(), null, DOMAIN, T).allowed());
        assertTrue(DecisionRules.permission(command().setPrincipal("acs:ram::" + ACCOUNT + ":root").build(), null, DOMAIN, T).allowed());
    }

    @Test
    void onlyARunningJobCanBeStopped() {
        assertNull(DecisionRules.status(command().build(), JobStatus.RUNNING));
        Rejection stopped = DecisionRules.status(command().build(), JobStatus.STOPPED);
        assertRejects(ApiError.OPERATION_DENIED, stopped);
        assertEquals("The job " + JOB + " is not running (status STOPPED), so it cannot be stopped.", stopped.message());
    }

    @Test
    void aDecisionTellsOnlyWhatTheStepsItReachedFound() {
        Decision early = new Decision.Rejected(Rejection.nonceUsed());
        assertNull(early.quotaCount());
        assertNull(early.quotaLimit());
        assertNull(early.jobStateRevision());
        assertNull(early.policyVerdict());
    }
}
