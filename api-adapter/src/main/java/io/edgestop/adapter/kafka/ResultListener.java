package io.edgestop.adapter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Reads the whole results topic for one adapter instance: every partition assigned by hand (no
 * consumer group, nothing committed), starting at the end, so every instance sees every result and
 * keeps only those whose {@code replyTo} is its own id. Partitions added later are picked up from
 * their beginning. Ready once every partition has a resolved position, and as long as the
 * periodic (10 s) metadata refresh gets an answer from Kafka.
 */
public final class ResultListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultListener.class);
    private static final long PARTITION_REFRESH_MS = 10_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<StopResult> onResult;
    private final Runnable onUndecodable;
    private final AvroSerde<StopResult> serde = AvroSerdes.stopResult();
    private final Thread thread;
    private volatile boolean ready;
    private volatile boolean reachable = true;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public ResultListener(String bootstrapServers, Map<String, String> extraProps, String topic, String instanceId,
                          Consumer<StopResult> onResult, Runnable onUndecodable) {
        Properties p = new Properties();
        // the orchestrator writes results transactionally (exactly_once_v2): never answer a caller
        // with a result of an aborted transaction
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putAll(extraProps);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgestop-adapter-results-" + instanceId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.onResult = onResult;
        this.onUndecodable = onUndecodable;
        this.thread = new Thread(this::run, "edgestop-adapter-results-" + instanceId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean ready() {
        return ready && reachable && running && failure == null;
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                long now = System.currentTimeMillis();
                if (now >= nextRefresh) {
                    nextRefresh = now + (assigned.isEmpty() ? 200 : PARTITION_REFRESH_MS);
                    refreshAssignment(assigned);
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(100); // the results topic does not exist yet: poll it again shortly
                    continue;
                }
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    StopResult result;
                    try {
                        result = rec.value() == null ? null : serde.deserializer().deserialize(rec.topic(), rec.value());
                    } catch (RuntimeException e) {
                        result = null;
                    }
                    if (result == null) {
                        onUndecodable.run();
                        continue;
                    }
                    onResult.accept(result);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            ready = false;
            LOG.error("result listener on {} stopped", topic, t);
        } finally {
            ready = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void refreshAssignment(Set<TopicPartition> assigned) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            reachable = true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            reachable = false; // Kafka did not answer a metadata request: not ready until it does
            return;
        }
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo pi : infos) {
            TopicPartition tp = new TopicPartition(pi.topic(), pi.partition());
            if (!assigned.contains(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        boolean first = assigned.isEmpty();
        assigned.addAll(added);
        consumer.assign(assigned);
        if (first) {
            consumer.seekToEnd(added);
        } else {
            consumer.seekToBeginning(added); // a partition created while running: read it whole
        }
        for (TopicPartition tp : added) {
            consumer.position(tp, Duration.ofSeconds(30)); // resolve now: results after this point are seen
        }
        ready = true;
        LOG.debug("results listener on {}: {} partitions", topic, assigned.size());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
