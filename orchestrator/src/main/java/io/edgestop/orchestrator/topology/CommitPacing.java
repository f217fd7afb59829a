package io.edgestop.orchestrator.topology;

import org.apache.kafka.streams.processor.api.ProcessingContext;

import io.edgestop.orchestrator.runtime.CommitIntervals;

/**
 * When a stream thread commits: soon while it keeps up, seldom while it is behind.
 *
 * <p>A decision is visible downstream only once its exactly-once transaction commits, so a short commit
 * interval is most of a single call's latency. But a commit costs round trips to the brokers (the
 * flush of every write acknowledged by the in-sync replicas, the offsets, the end of the transaction:
 * a few ms on a healthy cluster, 200-800 ms on three brokers sharing two cores, more after a leader's
 * loss), and a thread that commits every 20 ms while each commit takes 250 ms spends most of its
 * time committing: after an outage it drained a backlog at 40-80 commands a second (docs/reliability.md).
 *
 * <p>So Kafka Streams' own {@code commit.interval.ms} is the backlog interval
 * ({@code commit.backlog.interval.ms}, default 100 ms, Kafka's exactly-once default), and the processors
 * ask for an earlier commit ({@link ProcessingContext#commit()}) after a fresh record: one whose
 * timestamp is at most the backlog interval behind the wall clock, at most once per
 * {@code commit.interval.ms} (default 20 ms). A thread that keeps up commits as before, and a lone
 * call is committed as soon as it is decided instead of waiting for the next interval to pass after
 * an idle poll. A thread whose records wait (a backlog, or slow commits that hold records up) stops asking and
 * processes a backlog interval's worth of records per commit. Only commit timing depends on the
 * wall clock; what is decided depends on the records alone. A producer whose clock runs behind the
 * orchestrator's by more than the backlog interval makes its records look late: they are then committed
 * at the backlog interval, later but no differently.
 *
 * <p>The pace is the stream thread's, not the task's: a thread commits all its tasks in one transaction,
 * so the processors of all its tasks share one record of the last ask. Asked per task, three tasks of
 * a thread asked three times per interval, and at 1,000 commands/s the thread committed back to back
 * (docs/benchmarks.md, session 9).
 */
public final class CommitPacing {

    /** When a processor on this stream thread last asked for a commit: [0] (Long.MIN_VALUE: never). */
    private static final ThreadLocal<long[]> LAST_ASK_OF_THREAD = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

    private final long keepingUpMs;
    private final long backlogMs;
    private final ThreadLocal<long[]> lastAsk;

    public CommitPacing(CommitIntervals intervals) {
        this(intervals.keepingUpMs(), intervals.backlogMs(), LAST_ASK_OF_THREAD);
    }

    /** With its own record of the last ask per thread (tests). */
    CommitPacing(long keepingUpMs, long backlogMs, ThreadLocal<long[]> lastAsk) {
        this.keepingUpMs = keepingUpMs;
        this.backlogMs = backlogMs;
        this.lastAsk = lastAsk;
    }

    /** After processing a record of this timestamp: asks for a commit if the record is fresh and the thread's last ask an interval old. */
    public void processed(ProcessingContext context, long recordTimestamp) {
        long now = context.currentSystemTimeMs();
        long[] last = lastAsk.get();
        if (now - recordTimestamp <= backlogMs && (last[0] == Long.MIN_VALUE || now - last[0] >= keepingUpMs)) {
            last[0] = now;
            context.commit();
        }
    }
}
