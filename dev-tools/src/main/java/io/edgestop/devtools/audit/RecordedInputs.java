package io.edgestop.devtools.audit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.edgestop.kafka.ReadToEnd;
import io.edgestop.topics.Topics;

/**
 * The orchestrator's inputs as recorded on Kafka (stop-commands, account-settings, account-policies,
 * job-state, verified-reports, stream-time-ticks), up to the ends they had when opened, merged the way
 * a Kafka Streams task picks its next record: each partition in offset order, and among the
 * partitions the head with the smallest timestamp.
 */
final class RecordedInputs implements AutoCloseable {

    /** One input record, as raw bytes (the topology decodes it like the live orchestrator). */
    record Input(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                 org.apache.kafka.common.header.Headers headers) {
    }

    /** Where a partition's retained records start: its first offset and the timestamp of its first record. */
    record Start(TopicPartition partition, long offset, long firstTimestamp) {
    }

    /** {@link Start#firstTimestamp} of a partition whose every record was deleted (retention, {@code Admin.deleteRecords}). */
    static final long NOTHING_RETAINED = Long.MAX_VALUE;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String ticksTopic;
    private final ReadToEnd toEnd;
    private final Map<TopicPartition, Long> begin;
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> heads = new HashMap<>();
    private final Map<TopicPartition, Start> starts = new HashMap<>();
    private final long total;

    private RecordedInputs(KafkaConsumer<byte[], byte[]> consumer, String ticksTopic, Map<TopicPartition, Long> begin,
                           ReadToEnd toEnd) {
        this.consumer = consumer;
        this.ticksTopic = ticksTopic;
        this.begin = begin;
        this.toEnd = toEnd;
        this.total = toEnd.ends().entrySet().stream().mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
        toEnd.ends().keySet().forEach(tp -> heads.put(tp, new ArrayDeque<>()));
    }

    /**
     * The topology's input topics (the reports as the orchestrator's relay took them from each cluster's topic),
     * each async producer's command topic among them.
     */
    static List<String> topicsOf(Topics topics, List<String> asyncProducers) {
        List<String> out = new ArrayList<>(List.of(topics.jobState(), topics.accountSettings(), topics.accountPolicies(),
                topics.stopCommands(), topics.verifiedReports(), topics.streamTimeTicks()));
        asyncProducers.forEach(p -> out.add(topics.asyncCommands(p)));
        return List.copyOf(out);
    }

    /** The recorded inputs of the orchestrator whose async producers ({@code async.producers}) are {@code asyncProducers}. */
    static RecordedInputs open(Properties client, Topics topics, List<String> asyncProducers) {
        Properties p = AuditReader.consumerProperties(client, "edge-stop-audit-inputs")
                .keep(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .build();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topicsOf(topics, asyncProducers)) {
                partitions.addAll(AuditReader.partitions(consumer, t));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return new RecordedInputs(consumer, topics.streamTimeTicks(), consumer.beginningOffsets(partitions),
                    ReadToEnd.of(consumer, AuditReader.KAFKA_TIMEOUT));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Offsets to read (an upper bound: transaction markers take offsets too). */
    long total() {
        return total;
    }

    /**
     * Partitions whose log no longer starts at offset 0 (retention deleted records), with their first
     * retained record's time, once read. A partition emptied by retention has nothing left to replay.
     */
    List<Start> truncated() {
        List<Start> out = new ArrayList<>(starts.values().stream().filter(s -> s.offset() > 0).toList());
        begin.forEach((tp, offset) -> {
            if (offset > 0 && !starts.containsKey(tp)) { // every record deleted: nothing of it can be replayed
                out.add(new Start(tp, offset, NOTHING_RETAINED));
            }
        });
        return out;
    }

    /** The partition count of {@code topic} as read. */
    int partitions(String topic) {
        return (int) begin.keySet().stream().filter(tp -> tp.topic().equals(topic)).count();
    }

    /**
     * Hands every record up to the ends fixed at open to {@code sink}, in the merged order, calling
     * {@code read} for each record read. A tick directly followed by another is left out: ticks only
     * move stream time on, and the punctuations at the later one handle every deadline up to it the
     * same way (each at its own deadline), so the replay costs the records that carry decisions, not
     * the time the deployment ran.
     */
    void forEach(Runnable read, Consumer<Input> sink) {
        Input tick = null;
        while (true) {
            fill();
            TopicPartition next = null;
            long nextTs = Long.MAX_VALUE;
            for (var e : heads.entrySet()) {
                ConsumerRecord<byte[], byte[]> head = e.getValue().peek();
                if (head != null && head.timestamp() < nextTs) {
                    next = e.getKey();
                    nextTs = head.timestamp();
                }
            }
            if (next == null) {
                if (tick != null) {
                    sink.accept(tick);
                }
                return;
            }
            ConsumerRecord<byte[], byte[]> r = heads.get(next).poll();
            read.run();
            Input in = new Input(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
            if (r.topic().equals(ticksTopic)) {
                tick = in;
                continue;
            }
            if (tick != null) {
                sink.accept(tick);
                tick = null;
            }
            sink.accept(in);
        }
    }

    /** Polls until every partition not yet read to its end has a record waiting (only those are fetched). */
    private void fill() {
        while (true) {
            List<TopicPartition> empty = new ArrayList<>();
            for (var e : heads.entrySet()) {
                if (e.getValue().isEmpty() && !toEnd.reached(consumer, e.getKey())) {
                    empty.add(e.getKey());
                }
            }
            if (empty.isEmpty()) {
                return;
            }
            consumer.pause(consumer.assignment());
            consumer.resume(empty);
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (!toEnd.includes(r)) {
                    continue; // written after open
                }
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                starts.computeIfAbsent(tp, k -> new Start(k, begin.get(k), r.timestamp()));
                heads.get(tp).add(r);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
