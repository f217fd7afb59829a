package io.edgestop.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.KafkaClientSettings;

/** Shared pieces: client settings (identical for raw and pipeline clients), the result table, group offsets. */
final class Bench {

    private Bench() {
    }

    /** The cluster under test and the Kafka client settings of every client of the run, the orchestrator's too. */
    record Env(String bootstrapServers, KafkaClientSettings kafka) {
        /** acks=all, idempotent, 64 KiB batches; linger as given (5 ms flat out, 0 for latency). */
        Properties producerProps(int lingerMs) {
            return KafkaClientProperties.of(bootstrapServers, kafka)
                    .withDefault(ProducerConfig.ACKS_CONFIG, "all")
                    .withDefault(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs))
                    .withDefault(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                    .withDefault(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20))
                    .build();
        }

        Properties consumerProps() {
            return KafkaClientProperties.of(bootstrapServers, kafka)
                    .withDefault(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID())
                    .withDefault(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                    .withDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                    .withDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10")
                    .build();
        }

        Admin admin() {
            return Admin.create(kafka.clientProperties(bootstrapServers));
        }

        /** bootstrap.servers and the kafka.* keys, for a component started in this JVM. */
        Map<String, String> componentSettings() {
            Map<String, String> m = new HashMap<>(kafka.asComponentSettings());
            m.put("bootstrap.servers", bootstrapServers);
            return m;
        }
    }

    /** One line of the table: a throughput, a latency distribution (microseconds), both, or only a note. */
    record Row(String name, long count, double perSecond, Histogram latencyMicros, String note) {
        /** A row with only a note (CPU, memory, records per command): no count, rate or latency. */
        static Row info(String name, String note) {
            return new Row(name, -1, Double.NaN, null, note);
        }

        static Row throughput(String name, long count, double perSecond) {
            return new Row(name, count, perSecond, null, "");
        }

        static Row latency(String name, long count, double perSecond, Histogram h) {
            return new Row(name, count, perSecond, h, "");
        }

        Row withNote(String n) {
            return new Row(name, count, perSecond, latencyMicros, n);
        }

        double ms(double percentile) {
            return latencyMicros == null || latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** {@code count} events from {@code startNanos} to {@code endNanos}, per second; NaN for none. */
    static double perSecond(long count, long startNanos, long endNanos) {
        return count == 0 ? Double.NaN : count / ((endNanos - startNanos) / 1e9);
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-62s %9s %10s %8s %8s %8s %8s  %s%n", "measurement", "count",
                "per sec", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "note");
        sb.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-62s %9s %10s %8s %8s %8s %8s  %s%n", r.name(),
                    r.count() < 0 ? "-" : Long.toString(r.count()),
                    Double.isNaN(r.perSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", r.perSecond()),
                    fmt(r.ms(50)), fmt(r.ms(90)), fmt(r.ms(99)), fmt(r.ms(99.9)), r.note()));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Commits the group's offsets of the topic at its end, so the group's next member reads only what comes after. */
    static void commitAtEnd(Env env, String groupId, String topic) throws Exception {
        try (Admin admin = env.admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> at.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(groupId, at).all().get(30, TimeUnit.SECONDS);
        }
    }
}
