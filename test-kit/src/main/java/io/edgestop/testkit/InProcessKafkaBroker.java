package io.edgestop.testkit;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single combined broker+controller KRaft node running in this JVM (KafkaClusterTestKit).
 * Its log directories are temporary and removed on close.
 */
final class InProcessKafkaBroker extends KafkaBroker {

    private final KafkaClusterTestKit cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InProcessKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static InProcessKafkaBroker start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    // one broker: internal topics cannot have 3 replicas, or groups never find a coordinator
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InProcessKafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String kind() {
        return "in-process";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // KafkaClusterTestKit.close() throws when called twice
        }
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the in-process Kafka broker", e);
        }
    }
}
