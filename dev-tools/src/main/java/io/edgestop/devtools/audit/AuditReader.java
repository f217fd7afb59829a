package io.edgestop.devtools.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.ReadToEnd;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * Reads the audit stream from its beginning up to the end it had when opened: committed records
 * only (the orchestrator writes in transactions), no consumer group, nothing committed or written.
 * For every tool that goes through the recorded decisions.
 */
public final class AuditReader implements AutoCloseable {

    /** One audit record where it was read, as written ({@code value}) and decoded ({@code record}: null when it could not be). */
    public record Entry(int partition, long offset, long timestamp, String key, byte[] value, AuditRecord record) {
    }

    /** The topic to read does not exist (wrong prefix or cluster, or nothing deployed yet). */
    public static final class MissingTopic extends IllegalStateException {
        public MissingTopic(String topic) {
            super("no topic " + topic + " (check --bootstrap-servers and --topic-prefix)");
        }
    }

    /** How long a read waits for Kafka to answer or to move on before it gives up. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Map<TopicPartition, Long> begin;
    private final ReadToEnd toEnd;
    private final long total;

    private AuditReader(KafkaConsumer<String, byte[]> consumer, String topic, Map<TopicPartition, Long> begin,
                        ReadToEnd toEnd, long total) {
        this.consumer = consumer;
        this.topic = topic;
        this.begin = begin;
        this.toEnd = toEnd;
        this.total = total;
    }

    /** The first offset of each partition when opened (above 0 when records at its start were deleted). */
    public Map<Integer, Long> beginning() {
        Map<Integer, Long> out = new java.util.HashMap<>();
        begin.forEach((tp, offset) -> out.put(tp.partition(), offset));
        return out;
    }

    /** Opens the audit topic of {@code topics} with a consumer of these client properties; fixes the end now. */
    public static AuditReader open(Properties client, Topics topics) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(client, "edge-stop-audit").build());
        try {
            List<TopicPartition> partitions = partitions(consumer, topics.audit());
            if (partitions.isEmpty()) {
                throw new MissingTopic(topics.audit());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            ReadToEnd toEnd = ReadToEnd.of(consumer, KAFKA_TIMEOUT);
            long total = toEnd.ends().entrySet().stream().mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
            return new AuditReader(consumer, topics.audit(), begin, toEnd, total);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Every committed checkpoint of the audit chains, partition by partition in offset order; none when the topic does not exist. */
    public static List<ChainCheck.Checkpoint> checkpoints(Properties client, Topics topics) {
        List<ChainCheck.Checkpoint> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(client, "edge-stop-audit-checkpoints").build())) {
            List<TopicPartition> partitions = partitions(consumer, topics.auditCheckpoints());
            if (partitions.isEmpty()) {
                return out;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var serde = AvroSerdes.auditCheckpoint();
            ReadToEnd.read(consumer, KAFKA_TIMEOUT, r -> {
                if (r.value() != null) {
                    out.add(new ChainCheck.Checkpoint(r.partition(), r.offset(), serde.deserialize(r.topic(), r.value())));
                }
            });
        }
        out.sort(java.util.Comparator.comparingInt(ChainCheck.Checkpoint::partition).thenComparingLong(ChainCheck.Checkpoint::offset));
        return out;
    }

    /** Offsets to read (an upper bound: transaction markers and aborted records take offsets too). */
    public long total() {
        return total;
    }

    /** Hands every record up to the end fixed at open to {@code sink}, partition by partition as fetched. */
    public void forEach(Consumer<Entry> sink) {
        var serde = AvroSerdes.auditRecord();
        toEnd.read(consumer, r -> {
            AuditRecord value;
            try {
                value = r.value() == null ? null : serde.deserialize(topic, r.value());
            } catch (RuntimeException e) {
                value = null;
            }
            sink.accept(new Entry(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), value));
        });
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** A reading consumer: read_committed, no group, no commits; bytes in, so one bad record does not stop the read. */
    static KafkaClientProperties consumerProperties(Properties client, String clientId) {
        return KafkaClientProperties.of(client)
                .withDefault(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .withDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .withDefault(ConsumerConfig.CLIENT_ID_CONFIG, clientId)
                .withDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000")
                .withDefault(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false") // a reader never creates a topic
                .withDefault(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .withDefault(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
        }
        return out;
    }
}
