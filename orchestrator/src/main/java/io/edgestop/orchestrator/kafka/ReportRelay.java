package io.edgestop.orchestrator.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.KafkaRefusal;
import io.edgestop.orchestrator.decision.ReportBinding;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.topology.DeadLetters;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * Moves the edge workers' reports from every cluster's own topic ({@code job-status-reports.<C>}, read by
 * pattern, those created later included) to {@code verified-reports}, which only the orchestrator writes
 * and its topology reads: a report its topic's workers may say ({@link ReportBinding}) is copied as it was
 * (key, value, timestamp, headers), any other record is dead-lettered with the reason. At least once: its
 * consumed offsets are committed every {@code commit.interval.ms} (the orchestrator's) once the copies
 * written before are acknowledged, so nothing is lost; after a crash a few reports may be copied twice,
 * which the topology takes like the duplicate reports workers already send (a report closes a pending
 * stop once; a repeat only records the job's status again). Not transactional: on a three-broker cluster
 * the relay's transactions, ten a second beside the stream threads', kept the transaction coordinators
 * busy enough that decisions fell a minute behind in the fault tests. A replay of {@code verified-reports}
 * is what the topology saw, duplicates included.
 *
 * <p>Why not let Kafka Streams read the report topics by pattern: Kafka Streams 4.3.1 fails the stream
 * threads whose running task gains the partitions of a topic created while it runs ("Topic ... is unknown
 * to the topology"), and their tasks, the deciding ones included, wait for a session timeout (about 50 s
 * measured) each time a cluster is added. A plain consumer takes a new topic at its next metadata refresh
 * (every {@link #TOPIC_DISCOVERY_MS} ms here) with one rebalance of the relay's own group.
 */
public final class ReportRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportRelay.class);
    /** How soon the relay sees a cluster's report topic created while it runs (its metadata refresh; Kafka's default is 5 min). */
    static final long TOPIC_DISCOVERY_MS = 5_000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final OrchestratorConfig config;
    private final Topics topics;
    private final AvroSerde<JobStatusReport> reports = AvroSerdes.jobStatusReport();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private ReportRelay(OrchestratorConfig config) {
        this.config = config;
        this.topics = config.topics();
        this.thread = new Thread(this::run, "orchestrator-report-relay");
        thread.setDaemon(true);
    }

    public static ReportRelay start(OrchestratorConfig config) {
        ReportRelay relay = new ReportRelay(config);
        relay.thread.start();
        return relay;
    }

    /** The relay's consumer group: one per deployment, beside the Kafka Streams group {@code applicationId}. */
    public static String groupId(String applicationId) {
        return applicationId + "-report-relay";
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
                 KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                consumer = c;
                Batch batch = new Batch(c, p);
                c.subscribe(topics.jobStatusReportsPattern(), batch); // a rebalance commits what was copied before it
                while (running) {
                    batch.add(c.poll(POLL));
                    if (batch.due()) {
                        batch.commit();
                    }
                }
                batch.commit();
            } catch (WakeupException | InterruptException e) {
                return; // closing: what was read since the last commit is read again by the next owner
            } catch (KafkaException e) {
                if (KafkaRefusal.in(e).isPresent()) {
                    log.error("report relay refused by Kafka, retrying: {}", KafkaRefusal.describe(KafkaRefusal.in(e).get()));
                } else {
                    // what was read since the last commit is read again from the committed offsets
                    log.warn("report relay restarts after {}", e.toString());
                }
                pause();
            } finally {
                consumer = null;
            }
        }
    }

    /**
     * What was read since the last commit: every record copied or dead-lettered as it is read; its offsets
     * committed once the orchestrator's {@code commit.interval.ms} has passed since the first of them, after
     * the producer acknowledged every copy, and before a rebalance takes partitions away.
     */
    private final class Batch implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        private final AtomicReference<Exception> failed = new AtomicReference<>();
        private long began;

        Batch(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {
            this.consumer = consumer;
            this.producer = producer;
        }

        void add(ConsumerRecords<byte[], byte[]> records) {
            if (records.isEmpty()) {
                return;
            }
            if (offsets.isEmpty()) {
                began = System.nanoTime();
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String reason = refusal(r);
                ProducerRecord<byte[], byte[]> out = reason == null
                        ? new ProducerRecord<>(topics.verifiedReports(), null, r.timestamp(), r.key(), r.value(), r.headers())
                        : DeadLetters.record(topics.deadLetter(), r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                                new ForeignReport(reason));
                producer.send(out, (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
        }

        boolean due() {
            return !offsets.isEmpty() && System.nanoTime() - began >= TimeUnit.MILLISECONDS.toNanos(config.commitIntervalMs());
        }

        void commit() {
            if (offsets.isEmpty()) {
                return;
            }
            producer.flush(); // every copy acknowledged (acks=all, idempotent), or failed
            Exception e = failed.get();
            if (e != null) { // not committed: the records since the last commit are read and copied again
                throw new KafkaException("a copy was not written: " + e, e);
            }
            consumer.commitSync(offsets);
            offsets.clear();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    private String refusal(ConsumerRecord<byte[], byte[]> r) {
        JobStatusReport report;
        try {
            report = r.value() == null ? null : reports.deserialize(r.topic(), r.value());
        } catch (RuntimeException undecodable) {
            return "undecodable report: " + undecodable.getMessage();
        }
        return ReportBinding.refusal(topics, r.topic(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), report);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Properties consumerProperties() {
        return KafkaClientProperties.of(config.bootstrapServers(), config.kafkaClientSettings())
                .keepBootstrapServers()
                .keep(ConsumerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-report-relay")
                .keep(ConsumerConfig.GROUP_ID_CONFIG, groupId(config.applicationId()))
                .keep(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .keep(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest") // a new cluster's first reports included
                .keep(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .keep(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(TOPIC_DISCOVERY_MS))
                .build();
    }

    private Properties producerProperties() {
        return config.producerProperties("report-relay"); // idempotent, acks=all
    }

    /** The reason a report was not believed, as the dead letter's exception. */
    static final class ForeignReport extends RuntimeException {
        ForeignReport(String message) {
            super(message, null, false, false); // no stack: the reason is the message
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
