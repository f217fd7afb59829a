package io.edgestop.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single combined broker+controller KRaft node running in this JVM (KafkaClusterTestKit).
 * Its log directories are temporary and removed on close.
 */
final class InProcessKafkaBroker extends KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessKafkaBroker.class);

    private final KafkaClusterTestKit cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InProcessKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static InProcessKafkaBroker start() {
        return start(Map.of());
    }

    /** A broker with these settings on top of (or instead of) the usual ones. */
    static InProcessKafkaBroker start(Map<String, String> brokerConfigs) {
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
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
                    .setConfigProp("auto.create.topics.enable", "true");
            brokerConfigs.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InProcessKafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker", e);
        }
    }

    /**
     * KafkaClusterTestKit's storage formatter prints its bootstrap metadata to System.out, with no
     * way to pass another stream; that text goes to the debug log instead of every build's output.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        synchronized (System.class) {
            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                cluster.format();
            } finally {
                System.setOut(out);
                LOG.debug("storage format: {}", captured.toString(StandardCharsets.UTF_8));
            }
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
