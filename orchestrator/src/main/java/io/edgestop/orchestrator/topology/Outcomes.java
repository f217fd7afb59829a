package io.edgestop.orchestrator.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.ProcessorContext;

import io.edgestop.api.ApiError;
import io.edgestop.orchestrator.decision.Rejection;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;

/**
 * Builds the output records (results, audit entries, directives), and forwards a pending stop's
 * follow-ups for the {@link Decider} and the {@link DirectiveRedelivery} alike. Everything is derived from
 * the inputs and record timestamps only, so a replay produces identical records; audit ids are
 * {@code <requestId>:<eventType>[:<attempt>]}.
 */
final class Outcomes {

    private Outcomes() {
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static String auditId(String requestId, AuditEventType type, Integer attempt) {
        return nz(requestId) + ":" + type + (attempt == null ? "" : ":" + attempt);
    }

    /** The decision result for a command. */
    static StopResult decisionResult(StopCommand c, Rejection rejection, long eventTime, String joinedRequestId) {
        return StopResult.newBuilder()
                .setRequestId(nz(c.getRequestId()))
                .setAccountId(c.getAccountId())
                .setClusterId(c.getClusterId())
                .setJobId(c.getJobId())
                .setOutcome(rejection == null ? Outcome.ACCEPTED : Outcome.REJECTED)
                .setCode(rejection == null ? null : rejection.code())
                .setHttpStatus(rejection == null ? 200 : rejection.httpStatus())
                .setMessage(rejection == null ? null : rejection.message())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setJoinedRequestId(joinedRequestId)
                .setReplyTo(c.getReplyTo())
                .setRetryAfterMs(rejection == null ? null : rejection.retryAfterMs())
                .build();
    }

    /** The DECISION audit entry of a command ({@code rejection} null: accepted); the decider adds what the rules found. */
    static AuditRecord.Builder decisionAudit(StopCommand c, Rejection rejection, long eventTime,
                                             AccountSettings settings, AccountPolicies policies) {
        return AuditRecord.newBuilder()
                .setAuditId(auditId(c.getRequestId(), AuditEventType.DECISION, null))
                .setEventType(AuditEventType.DECISION)
                .setRequestId(nz(c.getRequestId()))
                .setAccountId(c.getAccountId())
                .setCommand(c)
                .setOutcome(rejection == null ? Outcome.ACCEPTED : Outcome.REJECTED)
                .setCode(rejection == null ? null : rejection.code())
                .setHttpStatus(rejection == null ? 200 : rejection.httpStatus())
                .setMessage(rejection == null ? null : rejection.message())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setSettingsRevision(settings == null ? null : settings.getRevision())
                .setPoliciesRevision(policies == null ? null : policies.getRevision());
    }

    static StopDirective directive(PendingStop p) {
        return StopDirective.newBuilder()
                .setDirectiveId(p.directiveId())
                .setRequestId(p.requestId())
                .setAccountId(p.accountId())
                .setClusterId(p.clusterId())
                .setJobId(p.jobId())
                .setAttempt(p.attempt())
                .setIssuedAt(Instant.ofEpochMilli(p.issuedAt()))
                .setDeadline(Instant.ofEpochMilli(p.deadline()))
                .build();
    }

    /** A follow-up result (COMPLETED or TIMED_OUT) for one request of a pending stop. */
    static StopResult followUpResult(PendingStop p, String requestId, String replyTo, Outcome outcome, long eventTime,
                                     String message) {
        return StopResult.newBuilder()
                .setRequestId(requestId)
                .setAccountId(p.accountId())
                .setClusterId(p.clusterId())
                .setJobId(p.jobId())
                .setOutcome(outcome)
                .setCode(outcome == Outcome.TIMED_OUT ? ApiError.STOP_TIMED_OUT.code() : null)
                .setHttpStatus(outcome == Outcome.TIMED_OUT ? ApiError.STOP_TIMED_OUT.httpStatus() : 200)
                .setMessage(message)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setJoinedRequestId(requestId.equals(p.requestId()) ? null : p.requestId())
                .setReplyTo(replyTo)
                .build();
    }

    static AuditRecord followUpAudit(PendingStop p, String requestId, AuditEventType type, Outcome outcome,
                                     long eventTime, String message, Long jobStateRevision, Integer attempt,
                                     String traceparent) {
        return AuditRecord.newBuilder()
                .setAuditId(auditId(requestId, type, type == AuditEventType.DIRECTIVE_REDELIVERED ? attempt : null))
                .setEventType(type)
                .setRequestId(requestId)
                .setAccountId(p.accountId())
                .setCommand(null)
                .setOutcome(outcome)
                .setCode(outcome == Outcome.TIMED_OUT ? ApiError.STOP_TIMED_OUT.code() : null)
                .setHttpStatus(outcome == Outcome.TIMED_OUT ? ApiError.STOP_TIMED_OUT.httpStatus() : 200)
                .setMessage(message)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setJobStateRevision(jobStateRevision)
                .setDirectiveId(PendingStop.directiveId(p.requestId(), attempt))
                .setAttempt(attempt)
                .setJoinedRequestId(requestId.equals(p.requestId()) ? null : p.requestId())
                .setTraceparent(traceparent)
                .build();
    }

    /** COMPLETED or TIMED_OUT result and audit entry for the request of a pending stop and each request that joined it. */
    static void emitFollowUp(PendingStop stop, Outcome outcome, AuditEventType type, long at, String message,
                             Long jobStateRevision, ProcessorContext<String, Emit> context) {
        List<PendingStop.Joiner> requests = new ArrayList<>();
        requests.add(new PendingStop.Joiner(stop.requestId(), stop.replyTo(), stop.traceparent()));
        requests.addAll(stop.joiners());
        for (PendingStop.Joiner r : requests) {
            context.forward(Emit.record(r.requestId(), new Emit.Result(
                    followUpResult(stop, r.requestId(), r.replyTo(), outcome, at, message)), at, r.traceparent()));
            context.forward(Emit.record(stop.accountId(), new Emit.Audit(followUpAudit(stop, r.requestId(), type,
                    outcome, at, message, jobStateRevision, stop.attempt(), r.traceparent())), at, r.traceparent()));
        }
    }
}
