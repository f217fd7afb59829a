package io.edgestop.devtools.console;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.ReadToEnd;

/**
 * Reads every topic a predicate selects from its beginning and keeps following it, on a thread of
 * its own: read_committed (the orchestrator writes transactionally: what an aborted transaction
 * wrote was never decided), no consumer group (nothing committed, every reader sees the whole
 * stream). Topics and partitions that appear later (a new cluster's directive topic) are picked
 * up within {@link #DISCOVERY_INTERVAL}. Records go raw to the sink, which decodes what it needs.
 */
public final class RecordFollower implements AutoCloseable {

    static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(RecordFollower.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Predicate<String> topics;
    private final Consumer<ConsumerRecord<String, byte[]>> sink;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** The ends of the partitions when first assigned: reading them all to there means caught up. */
    private ReadToEnd endAtStart;
    private volatile boolean closed;
    private volatile boolean caughtUp;
    private volatile String problem;

    private RecordFollower(Properties clientProperties, String clientId, Predicate<String> topics,
                           Consumer<ConsumerRecord<String, byte[]>> sink) {
        this.consumer = new KafkaConsumer<>(KafkaClientProperties.of(clientProperties)
                .keep(ConsumerConfig.CLIENT_ID_CONFIG, clientId)
                .keep(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .keep(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .keep(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .keep(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .build());
        this.topics = topics;
        this.sink = sink;
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    /** Starts following at once; {@code sink} is called on the follower's thread, in offset order per partition. */
    public static RecordFollower start(Properties clientProperties, String clientId, Predicate<String> topics,
                                       Consumer<ConsumerRecord<String, byte[]>> sink) {
        RecordFollower f = new RecordFollower(clientProperties, clientId, topics, sink);
        f.thread.start();
        return f;
    }

    /** True once every partition found at the first discovery has been read to the end it had then. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The last error talking to Kafka, null while reading works. */
    public String problem() {
        return problem;
    }

    private void run() {
        long nextDiscovery = 0;
        try {
            while (!closed) {
                try {
                    if (System.nanoTime() - nextDiscovery >= 0) {
                        discover();
                        nextDiscovery = System.nanoTime() + DISCOVERY_INTERVAL.toNanos();
                    }
                    if (assigned.isEmpty()) {
                        TimeUnit.MILLISECONDS.sleep(200); // nothing to read until a topic exists
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        sink.accept(r);
                    }
                    if (!caughtUp) {
                        caughtUp = endAtStart.reached(consumer);
                    }
                    problem = null;
                } catch (WakeupException e) {
                    return;
                } catch (KafkaException e) {
                    if (!closed) {
                        problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                        log.warn("reading {}", problem);
                        TimeUnit.SECONDS.sleep(1); // the cluster refused or is unreachable: try again, not in a tight loop
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void discover() {
        Set<TopicPartition> found = new HashSet<>(assigned);
        for (Map.Entry<String, List<PartitionInfo>> t : consumer.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (topics.test(t.getKey())) {
                t.getValue().forEach(i -> found.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        if (found.equals(assigned)) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(found);
        added.removeAll(assigned);
        consumer.assign(found);
        consumer.seekToBeginning(added);
        if (endAtStart == null) {
            endAtStart = ReadToEnd.of(consumer, Duration.ofSeconds(10)); // the first assignment is all added now
        }
        assigned.clear();
        assigned.addAll(found);
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
