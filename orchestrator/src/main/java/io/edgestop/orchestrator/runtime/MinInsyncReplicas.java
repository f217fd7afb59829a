package io.edgestop.orchestrator.runtime;

/**
 * The {@code min.insync.replicas} of every topic the system creates follows from its replication
 * factor: one less, at least 1. With the production factor 3 that is 2, so an acknowledged write
 * ({@code acks=all}) is on two brokers and the topics stay writable with one broker down; a lone dev
 * broker (factor 1) keeps 1. One setting, {@code replication.factor}, so the two cannot disagree.
 */
public final class MinInsyncReplicas {

    private MinInsyncReplicas() {
    }

    public static int forReplicationFactor(int replicationFactor) {
        return Math.max(1, replicationFactor - 1);
    }
}
