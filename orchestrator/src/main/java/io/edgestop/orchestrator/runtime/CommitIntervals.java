package io.edgestop.orchestrator.runtime;

/**
 * How often a stream thread commits ({@code CommitPacing}): every {@code keepingUpMs} at most while its records
 * are fresh ({@code commit.interval.ms}), every {@code backlogMs} while they are older than that
 * ({@code commit.backlog.interval.ms}).
 */
public record CommitIntervals(long keepingUpMs, long backlogMs) {
}
