package io.edgestop.orchestrator.decision;

import io.edgestop.orchestrator.decision.policy.PolicyEvaluator;
import io.edgestop.orchestrator.decision.policy.RequestContext;
import io.edgestop.orchestrator.decision.policy.Verdict;
import io.edgestop.orchestrator.decision.quota.QuotaLedger;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.StopCommand;

/**
 * The rules of the decision order (docs/decisions.md), in that order, each a function of the values it judges:
 * the {@link Rejection} of a command that fails it, null when it passes. What a rule needs of the task's
 * state (the quota window, the job as of the command's time) the decider reads and passes in; the rules
 * that only read state (the nonce, a stop in flight, a cluster's directive topic) and every state change
 * stay with the decider.
 */
public final class DecisionRules {

    private DecisionRules() {
    }

    /** 0a: an async producer ({@code producer} non-null) acts only for the accounts, and as the principals, each account allows it. */
    public static Rejection producerBinding(StopCommand c, String producer, AccountSettings settings) {
        if (producer == null || c.getAccountId() == null || ProducerBinding.allowed(settings, producer, c.getAccountId(), c.getPrincipal())) {
            return null;
        }
        return Rejection.asyncProducerForbidden(producer, c.getPrincipal(), c.getAccountId());
    }

    /** 1 and 1b: every parameter present, then none over-long ({@code tooLong}: the first such field, from {@link CommandSize}). */
    public static Rejection parameters(StopCommand c, String tooLong) {
        String missing = CommandCheck.firstMissing(c);
        if (missing != null) {
            return Rejection.missingParameter(missing);
        }
        return tooLong == null ? null : Rejection.tooLong(tooLong, CommandSize.MAX_FIELD_CHARS);
    }

    /** 2: the account's calls per minute, its own setting or else {@code defaultQuota}. */
    public static int quotaLimit(AccountSettings settings, int defaultQuota) {
        return settings != null && settings.getStopCallsPerMinute() != null ? settings.getStopCallsPerMinute() : defaultQuota;
    }

    /** 2: a call the account's quota window has no room for, with when it would have. */
    public static Rejection quota(QuotaLedger.Decision quota) {
        return quota.accepted() ? null : Rejection.throttled(quota.retryAfterMs());
    }

    /**
     * 3: a job as of the command's time ({@code job} null: none), of the command's account (another account's is
     * never revealed), on a cluster whose directive topic can exist.
     */
    public static Rejection jobLookup(StopCommand c, JobState job) {
        if (job == null || !c.getAccountId().equals(job.getAccountId()) || !DirectiveRoute.routable(c.getClusterId())) {
            return Rejection.jobNotFound();
        }
        return null;
    }

    /** 4: an account with the edge transcoding feature enabled ({@code settings} null: an unknown account). */
    public static Rejection feature(AccountSettings settings) {
        return settings == null || !settings.getEdgeTranscodeEnabled() ? Rejection.featureDisabled() : null;
    }

    /**
     * 5: the principal's policies as of the command's time, evaluated on the job's domain; the verdict whether or
     * not it allows, since the audit record tells it either way ({@link Rejection#forbidden()} when not).
     */
    public static Verdict permission(StopCommand c, AccountPolicies policies, String domainName, long ts) {
        return PolicyEvaluator.evaluate(c.getPrincipal(), c.getAccountId(), PolicyEvaluator.policiesOf(policies, c.getPrincipal()),
                new RequestContext(PolicyEvaluator.STOP_ACTION, PolicyEvaluator.domainResource(c.getAccountId(), domainName),
                        c.getSourceIp(), c.getSecureTransport(), ts));
    }

    /** 6a: only a running job can be stopped ({@code status}: the one in force as of the command's time). */
    public static Rejection status(StopCommand c, JobStatus status) {
        return status == JobStatus.RUNNING ? null : Rejection.notRunning(c.getJobId(), String.valueOf(status));
    }
}
