package io.edgestop.orchestrator.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.TopologyConfig;

import io.edgestop.topics.Topics;

/**
 * What the orchestrator's topology ({@code OrchestratorTopology}) is built from: its topics and async producers,
 * how far back its versioned tables answer, the audit checkpoints (no key file: none signed), the commit pace,
 * the decisions' settings, and the Kafka Streams settings every task of it runs with (error handlers, dead-letter
 * topic, {@code kafka.*} overrides).
 */
public record TopologySettings(Topics topics, List<String> asyncProducers, Duration tableHistory,
                               Path auditCheckpointKeyFile, long auditCheckpointRecords, long auditCheckpointIntervalMs,
                               CommitIntervals commitIntervals, DecisionSettings decisions, TopologyConfig streams) {

    public TopologySettings {
        asyncProducers = List.copyOf(asyncProducers);
    }
}
