package io.edgestop.devtools;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.orchestrator.decision.DirectiveRoute;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * Dev stack: reads job-state from its beginning and calls {@code onNewCluster} once for every
 * cluster not seen before, such as one a later {@code edge-stop seed} introduced, so that cluster
 * gets a simulated worker too. (The orchestrator creates the cluster's directive topic; a worker
 * that subscribes first simply waits for it.)
 */
final class NewClusterWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NewClusterWatch.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Consumer<String> onNewCluster;
    private final Thread thread;
    private volatile boolean closing;

    NewClusterWatch(String bootstrapServers, Topics topics, Set<String> known, Consumer<String> onNewCluster) {
        this.consumer = new KafkaConsumer<>(KafkaClientProperties.of(bootstrapServers, KafkaClientSettings.none())
                .withDefault(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .withDefault(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .build());
        this.topic = topics.jobState();
        this.known.addAll(known);
        this.onNewCluster = onNewCluster;
        this.thread = new Thread(this::run, "dev-new-cluster-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String cluster = r.key() == null ? null : JobKey.clusterId(r.key());
                    if (DirectiveRoute.routable(cluster) && known.add(cluster)) {
                        log.info("cluster {} appeared in job-state: starting a simulated worker for it", cluster);
                        onNewCluster.accept(cluster);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the new-cluster watch stopped: clusters seeded from now on get no simulated worker", e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(3).toMillis());
    }
}
