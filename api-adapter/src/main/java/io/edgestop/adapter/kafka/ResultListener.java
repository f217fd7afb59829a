package io.edgestop.adapter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Reads the whole results topic for one adapter instance: every partition assigned by hand (no
 * consumer group, nothing committed), starting at the end, so every instance sees every result and
 * keeps only those whose {@code replyTo} is its own id. Partitions added later are picked up from
 * their beginning.
 *
 * <p>Ready once every partition has a resolved position, and as long as Kafka answers: every
 * {@value #PROBE_INTERVAL_MS} ms the listener asks the partition leaders for the end offsets of the
 * results partitions (a ListOffsets request, which the client never answers from its cache, unlike
 * {@code partitionsFor}). A probe without an answer within {@link #PROBE_TIMEOUT} makes the listener
 * not ready; while not ready it probes again after every poll, so it is ready again as soon as the
 * leaders answer (typically within a second or two of a broker coming back).
 */
public final class ResultListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultListener.class);
    private static final long PARTITION_REFRESH_MS = 10_000;
    /** How often a reachable listener checks that Kafka still answers. */
    static final long PROBE_INTERVAL_MS = 1_000;
    /** How long a probe (or a position lookup) waits for Kafka's answer before the listener is not ready. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<StopResult> onResult;
    private final Runnable onUndecodable;
    private final AvroSerde<StopResult> serde = AvroSerdes.stopResult();
    private final Thread thread;
    private final long originNanos = System.nanoTime();
    private final Set<TopicPartition> unresolved = new HashSet<>(); // first partitions still without a position
    private volatile boolean ready;      // the first partitions have a resolved position
    private volatile boolean reachable;  // the last probe got an answer from the partition leaders
    private volatile boolean running = true;
    private volatile Throwable failure;

    public ResultListener(String bootstrapServers, KafkaClientSettings kafka, String topic, String instanceId,
                          Consumer<StopResult> onResult, Runnable onUndecodable) {
        Properties p = KafkaClientProperties.of(bootstrapServers, kafka)
                // the orchestrator writes results transactionally (exactly_once_v2): never answer a caller
                // with a result of an aborted transaction
                .withDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                // a waiting caller's result becomes readable when the orchestrator's transaction commits; a
                // read_committed fetch that is parked on the broker may only return at fetch.max.wait.ms (default
                // 500 ms), which an idle call then pays: keep the wait short (an idle poll every 20 ms is cheap)
                .withDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20")
                .keepBootstrapServers()
                .keep(ConsumerConfig.CLIENT_ID_CONFIG, "edgestop-adapter-results-" + instanceId)
                .keep(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .keep(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest")
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .build();
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
        long nextProbe = 0;
        try {
            while (running) {
                long now = nowMillis();
                if (now >= nextRefresh) {
                    nextRefresh = now + (assigned.isEmpty() ? 200 : PARTITION_REFRESH_MS);
                    refreshAssignment(assigned);
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(100); // the results topic does not exist yet: poll it again shortly
                    continue;
                }
                if (!unresolved.isEmpty()) {
                    resolvePositions();
                }
                if (nowMillis() >= nextProbe) {
                    probe(assigned);
                    // not reachable: probe again right after the next poll, so readiness returns promptly
                    nextProbe = reachable ? nowMillis() + PROBE_INTERVAL_MS : 0;
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

    /** Monotonic milliseconds since this listener was made (never negative, unlike raw nanoTime). */
    private long nowMillis() {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    /**
     * Asks the leaders of every assigned partition for its end offset. The answer itself is not
     * used: getting one within {@link #PROBE_TIMEOUT} is what "Kafka is reachable" means here.
     */
    private void probe(Set<TopicPartition> assigned) {
        try {
            consumer.endOffsets(assigned, PROBE_TIMEOUT);
            if (!reachable && ready) {
                LOG.info("results topic {}: Kafka answers again", topic);
            }
            reachable = true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (reachable) {
                LOG.warn("results topic {}: Kafka did not answer within {} ms; not ready until it does", topic,
                        PROBE_TIMEOUT.toMillis());
            }
            reachable = false;
        }
    }

    /** Resolves the positions of the first partitions (seek to end); ready once all are resolved. */
    private void resolvePositions() {
        for (Iterator<TopicPartition> it = unresolved.iterator(); it.hasNext(); ) {
            TopicPartition tp = it.next();
            try {
                consumer.position(tp, PROBE_TIMEOUT); // resolve now: results after this point are seen
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                return; // Kafka did not answer: tried again on the next turn (poll may resolve it meanwhile)
            }
            it.remove();
        }
        ready = true;
    }

    private void refreshAssignment(Set<TopicPartition> assigned) {
        List<PartitionInfo> infos;
        try {
            // usually answered from the client's metadata cache: says nothing about reachability (see probe)
            infos = consumer.partitionsFor(topic, PROBE_TIMEOUT);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return; // no metadata for the topic now: tried again on the next refresh
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
            unresolved.addAll(added); // ready once these positions are resolved (resolvePositions)
        } else {
            // a partition created while running: read it whole (poll resolves the position; nothing is missed)
            consumer.seekToBeginning(added);
        }
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
