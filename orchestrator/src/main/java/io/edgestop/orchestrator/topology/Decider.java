package io.edgestop.orchestrator.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.micrometer.core.instrument.Gauge;

import io.edgestop.orchestrator.decision.CommandSize;
import io.edgestop.orchestrator.decision.Decision;
import io.edgestop.orchestrator.decision.DecisionRules;
import io.edgestop.orchestrator.decision.ProducerBinding;
import io.edgestop.orchestrator.decision.Rejection;
import io.edgestop.orchestrator.decision.policy.Verdict;
import io.edgestop.orchestrator.decision.quota.QuotaLedger;
import io.edgestop.orchestrator.runtime.CommitIntervals;
import io.edgestop.orchestrator.runtime.DecisionSettings;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.CommandLedger;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.state.PendingStops;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.topics.JobKey;
import io.edgestop.trace.TraceContext;

/**
 * Decides every stop command in the account's task, in one step (one exactly-once transaction
 * from the command to its result, audit record and directive): an async producer's binding to the
 * account and principal (0a), signature nonce (0), missing
 * parameters and over-long fields (1), quota (2), job lookup (3), feature (4), permission (5), job
 * status and stops in flight (6), a cluster whose directives cannot be written (6c), acceptance with
 * the first directive (7). {@code decide} applies the {@link DecisionRules} in that order and comes to a
 * {@link Decision}, which {@code emit} writes out. The same task receives the workers' reports
 * on the account's jobs from the {@link JobRouter}: they close the pending stop where it lives
 * (COMPLETED) and are recorded as job observations. A stream-time punctuation redelivers or times
 * out the stops whose deadline passed. Every output carries the {@code traceparent} of the request
 * it concerns (from the command's header, or kept in the pending stop); it never decides anything.
 */
final class Decider implements Processor<String, DeciderInput, String, Emit> {

    private final long nonceWindowMs;
    private final int defaultQuota;
    private final long deadlineMs;
    private final int maxAttempts;
    private final DirectiveTopics directiveTopics;
    private final OrchestratorMetrics metrics;
    private final CommitPacing pacing;
    private Sensor undeliverable;
    private Gauge pendingGauge;
    private ProcessorContext<String, Emit> context;
    private CommandLedger ledger;
    private JobLookup jobs;
    private PendingStops pending;

    Decider(DecisionSettings settings, CommitIntervals commitIntervals, DirectiveTopics directiveTopics,
            OrchestratorMetrics metrics) {
        this.directiveTopics = directiveTopics;
        this.metrics = metrics;
        this.nonceWindowMs = settings.nonceWindowMs();
        this.defaultQuota = settings.quotaDefaultPerMinute();
        this.deadlineMs = settings.directiveDeadlineMs();
        this.maxAttempts = settings.directiveMaxAttempts();
        this.pacing = new CommitPacing(commitIntervals);
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        long sweep = Math.max(1000, Math.min(60_000, nonceWindowMs / 10));
        this.ledger = new CommandLedger(context.getStateStore(CommandLedger.STORE), nonceWindowMs, sweep, context.taskId().partition());
        context.schedule(Duration.ofMillis(ledger.turnMs()), PunctuationType.STREAM_TIME, ledger::tick);
        this.jobs = new JobLookup(context);
        this.pending = PendingStops.of(context);
        this.pendingGauge = metrics.pendingStops(context.taskId().toString(), pending, PendingStops::size);
        // edgestop-decider-metrics: edge-cluster-unavailable-total / -rate, one per stream thread
        this.undeliverable = context.metrics().addRateTotalSensor("edgestop-decider", "decider",
                "edge-cluster-unavailable", Sensor.RecordingLevel.INFO);
        long interval = Math.max(10, Math.min(1000, deadlineMs));
        context.schedule(Duration.ofMillis(interval), PunctuationType.STREAM_TIME,
                new DirectiveRedelivery(context, pending, jobs, deadlineMs, maxAttempts, metrics));
    }

    @Override
    public void close() {
        if (pendingGauge != null) {
            metrics.remove(pendingGauge); // the task moves: its pending stops are counted where it goes
        }
    }

    @Override
    public void process(Record<String, DeciderInput> record) {
        if (record.value() instanceof DeciderInput.Command command) {
            if (command.command() != null) { // a tombstone on the command topic means nothing
                decideAndEmit(command, record.timestamp(), TraceContext.traceparent(record.headers()));
            }
        } else if (record.value() instanceof DeciderInput.Job job && job.event() != null) {
            apply(job.event(), record.timestamp(), TraceContext.traceparent(record.headers()));
        }
        pacing.processed(context, record.timestamp());
    }

    // ---- the decision: the rules in order (decide), then what they came to written out (emit)

    private void decideAndEmit(DeciderInput.Command in, long ts, String traceparent) {
        String tooLong = CommandSize.firstTooLong(in.command());
        StopCommand c = ProducerBinding.trusted(tooLong == null ? in.command() : CommandSize.trimmed(in.command()), in.producer());
        emit(c, in, decide(c, in, tooLong, ts, traceparent), ts, traceparent);
    }

    /**
     * Steps 0a to 7 (docs/decisions.md): the first rule the command fails rejects it. The state a step changes is
     * changed there, before anything is written: the nonce recorded (1) or the quota taken (2), the stop joined (6b)
     * or opened (7).
     */
    private Decision decide(StopCommand c, DeciderInput.Command in, String tooLong, long ts, String traceparent) {
        AccountSettings settings = in.settings();
        // 0a. an async producer acts only for the accounts, and as the principals, each account allows it
        Rejection rejection = DecisionRules.producerBinding(c, in.producer(), settings);
        if (rejection != null) {
            return new Decision.Rejected(rejection);
        }

        // 0. signature nonce: only read here, the command's ledger entry is written at step 1 or 2
        if (c.getAccountId() != null && ledger.nonceUsed(c, ts)) {
            return new Decision.Rejected(Rejection.nonceUsed());
        }

        // 1. parameters
        rejection = DecisionRules.parameters(c, tooLong);
        if (rejection != null) {
            ledger.recordNonce(c, ts);
            return new Decision.Rejected(rejection);
        }

        // 2. quota
        int limit = DecisionRules.quotaLimit(settings, defaultQuota);
        QuotaLedger.Decision quota = ledger.acquire(c, ts, limit);
        Integer count = quota.count();
        rejection = DecisionRules.quota(quota);
        if (rejection != null) {
            return new Decision.Rejected(rejection, count, limit, null, null);
        }

        // 3. job lookup
        String key = JobKey.of(c.getClusterId(), c.getJobId());
        JobLookup.Job job = jobs.asOf(key, ts);
        rejection = DecisionRules.jobLookup(c, job == null ? null : job.state());
        if (rejection != null) {
            return new Decision.Rejected(rejection, count, limit, null, null);
        }
        long revision = job.state().getRevision();

        // 4. feature
        rejection = DecisionRules.feature(settings);
        if (rejection != null) {
            return new Decision.Rejected(rejection, count, limit, revision, null);
        }

        // 5. permission
        Verdict verdict = DecisionRules.permission(c, in.policies(), job.state().getDomainName(), ts);
        String verdictText = verdict.auditText();
        if (!verdict.allowed()) {
            return new Decision.Rejected(Rejection.forbidden(), count, limit, revision, verdictText);
        }

        // 6a. job status
        rejection = DecisionRules.status(c, job.status());
        if (rejection != null) {
            return new Decision.Rejected(rejection, count, limit, revision, verdictText);
        }

        // 6b. a stop already in flight: joined (a repeat of its own request joins nothing)
        PendingStop inFlight = pending.get(key);
        if (inFlight != null) {
            if (!inFlight.requestId().equals(c.getRequestId())) {
                pending.put(key, inFlight, inFlight.withJoiner(c.getRequestId(), c.getReplyTo(), traceparent));
            }
            return new Decision.Joined(inFlight.requestId(), inFlight.directiveId(), inFlight.attempt(), count, limit, revision,
                    verdictText);
        }

        // 6c. a directive that cannot be written would abort the transaction and stall the task (docs/reliability.md)
        if (directiveTopics.undeliverable(c.getClusterId()) != null) {
            undeliverable.record();
            return new Decision.Rejected(Rejection.edgeClusterUnavailable(c.getClusterId()), count, limit, revision, verdictText);
        }

        // 7. accepted: a new stop and its first directive
        PendingStop stop = new PendingStop(c.getRequestId(), c.getAccountId(), c.getClusterId(), c.getJobId(),
                c.getReplyTo(), 1, ts, ts + deadlineMs, List.of(), traceparent);
        pending.put(key, null, stop);
        return new Decision.Accepted(key, Outcomes.directive(stop), count, limit, revision, verdictText);
    }

    /**
     * Writes out any decision, in one order: an accepted stop's directive, the result, the decision meter, the
     * DECISION audit record; every record at the command's time, with its {@code traceparent}.
     */
    private void emit(StopCommand c, DeciderInput.Command in, Decision decision, long ts, String traceparent) {
        Rejection rejection = decision instanceof Decision.Rejected rejected ? rejected.rejection() : null;
        AuditRecord.Builder audit = Outcomes.decisionAudit(c, rejection, ts, in.settings(), in.policies())
                .setQuotaCount(decision.quotaCount())
                .setQuotaLimit(decision.quotaLimit())
                .setJobStateRevision(decision.jobStateRevision())
                .setPolicyVerdict(decision.policyVerdict())
                .setTraceparent(traceparent);
        String joinedRequestId = null;
        if (decision instanceof Decision.Joined joined) {
            joinedRequestId = joined.joinedRequestId();
            audit.setJoinedRequestId(joinedRequestId).setDirectiveId(joined.directiveId()).setAttempt(joined.attempt());
        } else if (decision instanceof Decision.Accepted accepted) {
            StopDirective directive = accepted.directive();
            context.forward(Emit.record(accepted.jobKey(), new Emit.Directive(directive), ts, traceparent));
            audit.setDirectiveId(directive.getDirectiveId()).setAttempt(directive.getAttempt());
        }
        context.forward(Emit.record(Outcomes.nz(c.getRequestId()), new Emit.Result(Outcomes.decisionResult(c, rejection, ts, joinedRequestId)),
                ts, traceparent));
        metrics.decided(rejection == null ? Outcome.ACCEPTED : Outcome.REJECTED, rejection == null ? null : rejection.code(), ts);
        context.forward(Emit.record(c.getAccountId(), new Emit.Audit(audit.build()), ts, traceparent));
    }

    // ---- job events

    private void apply(JobEvent event, long ts, String traceparent) {
        if (event.getType() == JobEventType.REPORT && event.getReport() != null) {
            observe(event.getJobKey(), event.getReport(), ts, traceparent);
        } // a TICK only moves stream time on
    }

    /**
     * A worker's report: recorded as the job's observation when it changes the status in force, or
     * when it closes a pending stop (a late command decided as of a time the job still ran got a
     * directive after the job had stopped). Reports about jobs the account does not have, or that
     * repeat the status in force, change nothing. The observation carries the report's
     * {@code traceparent}; the COMPLETED results and audit records each carry their request's.
     */
    private void observe(String jobKey, JobStatusReport report, long ts, String reportTraceparent) {
        JobLookup.Job job = jobs.latest(jobKey);
        if (job == null || report.getStatus() == JobStatus.UNKNOWN) {
            return;
        }
        PendingStop stop = report.getStatus() == JobStatus.STOPPED ? pending.get(jobKey) : null;
        if (job.status() == report.getStatus() && stop == null) {
            return;
        }
        // never older than the state it applies to, so it is the latest observation of that revision
        long at = Math.max(ts, job.since());
        JobObservation observation = JobObservation.newBuilder()
                .setClusterId(job.state().getClusterId())
                .setJobId(job.state().getJobId())
                .setAccountId(job.state().getAccountId())
                .setStatus(report.getStatus())
                .setJobStateRevision(job.state().getRevision())
                .setObservedAt(Instant.ofEpochMilli(at))
                .setStoppedAt(report.getStatus() == JobStatus.STOPPED
                        ? (report.getStoppedAt() != null ? report.getStoppedAt() : Instant.ofEpochMilli(ts)) : null)
                .setDirectiveId(report.getDirectiveId())
                .setRequestId(stop == null ? report.getRequestId() : stop.requestId())
                .setWorkerId(report.getWorkerId())
                .setMessage(report.getMessage())
                .build();
        jobs.putObservation(jobKey, observation, at);
        context.forward(Emit.record(jobKey, new Emit.Observation(observation), at, reportTraceparent));
        if (stop != null) {
            pending.remove(jobKey, stop);
            Outcomes.emitFollowUp(stop, Outcome.COMPLETED, AuditEventType.COMPLETED, at, "The job is stopped.",
                    job.state().getRevision(), context);
        }
    }
}
