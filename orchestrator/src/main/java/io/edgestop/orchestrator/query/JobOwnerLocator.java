package io.edgestop.orchestrator.query;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import io.edgestop.orchestrator.topology.OrchestratorTopology;

/**
 * Where an account's state lives, from Kafka Streams' metadata (every instance's {@code application.server}
 * is its query endpoint): the partition of the account sub-topology that holds the account's key
 * (partitioned as {@code stop-commands} is), the instance running its active task and those keeping a
 * standby of it. The model is the MetadataService of Confluent's interactive queries examples.
 */
final class JobOwnerLocator {

    /** The account's partition and the instances that hold it. */
    record Placement(int partition, HostInfo active, List<HostInfo> standbys) {

        /** The instances to ask: the active one, then the standbys. */
        List<HostInfo> holders() {
            List<HostInfo> holders = new ArrayList<>();
            holders.add(active);
            holders.addAll(standbys);
            return holders;
        }
    }

    private final KafkaStreams streams;

    JobOwnerLocator(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Where the account's task runs now; {@link JobQueries.Unavailable} while the client is not running or
     * the partition has no owner (a rebalance).
     */
    Placement locate(String accountId) {
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(OrchestratorTopology.POLICIES_STORE, accountId, Serdes.String().serializer());
        } catch (RuntimeException e) { // not running yet, or closing
            throw new JobQueries.Unavailable("the orchestrator is not running (" + streams.state() + ")");
        }
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) || owner.activeHost() == null) {
            throw new JobQueries.Unavailable("the account's partition is being reassigned (rebalance)");
        }
        return new Placement(owner.partition(), owner.activeHost(), List.copyOf(owner.standbyHosts()));
    }
}
