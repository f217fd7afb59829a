package io.edgestop.orchestrator.topology;

import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.state.PendingStops;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;

/**
 * Deadlines of pending stops, on stream time: a stop whose deadline passed gets its directive
 * sent again (attempt + 1, issued at the old deadline, due one deadline later) with a
 * DIRECTIVE_REDELIVERED audit entry; after the last attempt it ends TIMED_OUT. A stop whose job
 * is shown STOPPED as of the deadline (stopped by other means, no report from a worker) ends
 * COMPLETED instead. Everything is
 * timestamped with the deadline that expired, so the outputs do not depend on when the
 * punctuation happened to run, and carried the traceparent kept in the pending stop.
 */
final class DirectiveRedelivery implements Punctuator {

    private final ProcessorContext<String, Emit> context;
    private final PendingStops pending;
    private final JobLookup jobs;
    private final long deadlineMs;
    private final int maxAttempts;
    private final OrchestratorMetrics metrics;

    DirectiveRedelivery(ProcessorContext<String, Emit> context, PendingStops pending, JobLookup jobs,
                        long deadlineMs, int maxAttempts, OrchestratorMetrics metrics) {
        this.context = context;
        this.pending = pending;
        this.jobs = jobs;
        this.deadlineMs = deadlineMs;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
    }

    /** Stream-time punctuation: redeliver or time out every pending stop whose deadline is at or before stream time. */
    @Override
    public void punctuate(long streamTime) {
        for (String key : pending.due(streamTime)) {
            PendingStop current = pending.get(key);
            PendingStop stop = current;
            while (stop != null && stop.deadline() <= streamTime) {
                long at = stop.deadline();
                JobLookup.Job job = jobs.asOf(key, at);
                if (job != null && job.status() == JobStatus.STOPPED) {
                    // stopped by other means (the control plane shows it stopped): nothing to send again
                    Outcomes.emitFollowUp(stop, Outcome.COMPLETED, AuditEventType.COMPLETED, at, "The job is stopped.",
                            job.state().getRevision(), context);
                    stop = null;
                } else if (stop.attempt() < maxAttempts) {
                    stop = stop.nextAttempt(deadlineMs);
                    metrics.redelivered();
                    context.forward(Emit.record(key, new Emit.Directive(Outcomes.directive(stop)), at, stop.traceparent()));
                    context.forward(Emit.record(stop.accountId(), new Emit.Audit(Outcomes.followUpAudit(stop, stop.requestId(),
                            AuditEventType.DIRECTIVE_REDELIVERED, Outcome.ACCEPTED, at,
                            "Stop not confirmed by the deadline: directive sent again (attempt " + stop.attempt() + ").",
                            null, stop.attempt(), stop.traceparent())), at, stop.traceparent()));
                } else {
                    String message = "The edge workers did not confirm the stop after " + stop.attempt() + " attempt(s).";
                    metrics.timedOut();
                    Outcomes.emitFollowUp(stop, Outcome.TIMED_OUT, AuditEventType.TIMED_OUT, at, message, null, context);
                    stop = null;
                }
            }
            if (stop == null) {
                pending.remove(key, current);
            } else {
                pending.put(key, current, stop);
            }
        }
    }
}
