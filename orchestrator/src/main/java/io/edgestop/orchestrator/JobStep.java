package io.edgestop.orchestrator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.edgestop.orchestrator.policy.NamedPolicy;
import io.edgestop.orchestrator.policy.PolicyEvaluator;
import io.edgestop.orchestrator.policy.RequestContext;
import io.edgestop.orchestrator.policy.Verdict;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.StopCommand;

/**
 * The job-level steps of a decision, on commands keyed by clusterId/jobId joined with the job
 * state as of the command's timestamp: job lookup (3), feature (4), permission (5), job status
 * and stops already in flight (6), acceptance with the first directive (7). It also owns the
 * pending stops' deadlines: a stream-time punctuation re-sends the directive of every pending
 * stop whose deadline passed (attempt + 1) and times the stop out after the last attempt.
 */
final class JobStep implements Processor<String, JobStep.JobView, String, Emit> {


    /** Kafka topic names allow only these characters, and directive topics are named after the cluster. */
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** A checked command with the job state as of its timestamp (null when there was none). */
    record JobView(CheckedCommand checked, JobState job) {
    }

    private final long deadlineMs;
    private final int maxAttempts;
    private ProcessorContext<String, Emit> context;
    private PendingStops pending;

    JobStep(long deadlineMs, int maxAttempts) {
        this.deadlineMs = deadlineMs;
        this.maxAttempts = maxAttempts;
    }

    static boolean routableCluster(String clusterId) {
        return clusterId != null && CLUSTER_ID.matcher(clusterId).matches();
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        this.pending = PendingStops.of(context);
        long interval = Math.max(10, Math.min(1000, deadlineMs));
        context.schedule(Duration.ofMillis(interval), PunctuationType.STREAM_TIME,
                new DirectiveRedelivery(context, pending, deadlineMs, maxAttempts));
    }

    @Override
    public void process(Record<String, JobView> record) {
        JobView view = record.value();
        if (view == null || view.checked() == null) {
            return;
        }
        CheckedCommand checked = view.checked();
        StopCommand c = checked.command();
        JobState job = view.job();
        long ts = record.timestamp();
        AuditRecord.Builder audit = Outcomes.decisionAudit(c, null, ts, checked.settings(), checked.policies())
                .setQuotaCount(checked.quotaCount())
                .setQuotaLimit(checked.quotaLimit());

        // 3. job lookup: none, another account's (never revealed), or a cluster that cannot exist
        if (job == null || !c.getAccountId().equals(job.getAccountId()) || !routableCluster(c.getClusterId())) {
            reject(c, Rejection.jobNotFound(), ts, audit);
            return;
        }
        audit.setJobStateRevision(job.getRevision());

        // 4. feature
        AccountSettings settings = checked.settings();
        if (settings == null || !settings.getEdgeTranscodeEnabled()) {
            reject(c, Rejection.featureDisabled(), ts, audit);
            return;
        }

        // 5. permission
        Verdict verdict = PolicyEvaluator.evaluate(c.getPrincipal(), c.getAccountId(), policiesOf(checked.policies(), c.getPrincipal()),
                new RequestContext(PolicyEvaluator.STOP_ACTION, PolicyEvaluator.domainResource(c.getAccountId(), job.getDomainName()),
                        c.getSourceIp(), c.getSecureTransport(), ts));
        audit.setPolicyVerdict(verdict.auditText());
        if (!verdict.allowed()) {
            reject(c, Rejection.forbidden(), ts, audit);
            return;
        }

        // 6. job status, then a stop already in flight
        if (job.getStatus() != JobStatus.RUNNING) {
            reject(c, Rejection.notRunning(c.getJobId(), String.valueOf(job.getStatus())), ts, audit);
            return;
        }
        String key = record.key();
        PendingStop inFlight = pending.get(key);
        if (inFlight != null) {
            if (!inFlight.requestId().equals(c.getRequestId())) {
                pending.put(key, inFlight, inFlight.withJoiner(c.getRequestId(), c.getReplyTo()));
            }
            context.forward(new Record<>(c.getRequestId(),
                    new Emit.Result(Outcomes.decisionResult(c, null, ts, inFlight.requestId())), ts));
            context.forward(new Record<>(c.getAccountId(), new Emit.Audit(audit
                    .setJoinedRequestId(inFlight.requestId())
                    .setDirectiveId(inFlight.directiveId())
                    .setAttempt(inFlight.attempt())
                    .build()), ts));
            return;
        }

        // 7. accepted: one directive, one result, one audit record
        PendingStop stop = new PendingStop(c.getRequestId(), c.getAccountId(), c.getClusterId(), c.getJobId(),
                c.getReplyTo(), 1, ts, ts + deadlineMs, List.of());
        pending.put(key, null, stop);
        context.forward(new Record<>(key, new Emit.Directive(Outcomes.directive(stop)), ts));
        context.forward(new Record<>(c.getRequestId(), new Emit.Result(Outcomes.decisionResult(c, null, ts, null)), ts));
        context.forward(new Record<>(c.getAccountId(), new Emit.Audit(audit
                .setDirectiveId(stop.directiveId())
                .setAttempt(1)
                .build()), ts));
    }

    private static List<NamedPolicy> policiesOf(AccountPolicies policies, String principal) {
        List<NamedPolicy> out = new ArrayList<>();
        if (policies == null || principal == null || policies.getPrincipals() == null) {
            return out;
        }
        List<RamPolicy> own = policies.getPrincipals().get(principal);
        if (own != null) {
            for (RamPolicy p : own) {
                out.add(new NamedPolicy(p.getPolicyName(), p.getDocument()));
            }
        }
        return out;
    }

    private void reject(StopCommand c, Rejection rejection, long ts, AuditRecord.Builder audit) {
        context.forward(new Record<>(c.getRequestId(), new Emit.Result(Outcomes.decisionResult(c, rejection, ts, null)), ts));
        context.forward(new Record<>(c.getAccountId(), new Emit.Audit(audit
                .setOutcome(Outcome.REJECTED)
                .setCode(rejection.code())
                .setHttpStatus(rejection.httpStatus())
                .setMessage(rejection.message())
                .build()), ts));
    }

    /** COMPLETED or TIMED_OUT result and audit entry for the request of a pending stop and each request that joined it. */
    static void emitFollowUp(PendingStop stop, Outcome outcome, AuditEventType type, long at, String message,
                             Long jobStateRevision, ProcessorContext<String, Emit> context) {
        List<PendingStop.Joiner> requests = new ArrayList<>();
        requests.add(new PendingStop.Joiner(stop.requestId(), stop.replyTo()));
        requests.addAll(stop.joiners());
        for (PendingStop.Joiner r : requests) {
            context.forward(new Record<>(r.requestId(), new Emit.Result(
                    Outcomes.followUpResult(stop, r.requestId(), r.replyTo(), outcome, at, message)), at));
            context.forward(new Record<>(stop.accountId(), new Emit.Audit(
                    Outcomes.followUpAudit(stop, r.requestId(), type, outcome, at, message, jobStateRevision, stop.attempt())), at));
        }
    }
}
