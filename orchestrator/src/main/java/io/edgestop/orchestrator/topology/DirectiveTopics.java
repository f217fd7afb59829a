package io.edgestop.orchestrator.topology;

import io.edgestop.orchestrator.decision.Rejection;

/**
 * Whether directives for a cluster can be written. The global thread {@link #prepare prepares} a
 * cluster's directive topic before it stores the cluster's first job, so a decision never routes a
 * directive to a topic that is not known to be writable: the decider asks {@link #undeliverable}
 * first and answers {@link Rejection#edgeClusterUnavailable} instead of sending.
 */
public interface DirectiveTopics extends AutoCloseable {

    /** Makes sure the cluster's directive topic exists and may be written (idempotent, bounded in time). */
    void prepare(String clusterId);

    /** Why directives for this cluster cannot be written now, or null when they can. */
    String undeliverable(String clusterId);

    @Override
    default void close() {
    }
}
