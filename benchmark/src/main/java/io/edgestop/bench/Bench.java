package io.edgestop.bench;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Shared pieces: client settings (identical for raw and pipeline clients) and the result table. */
final class Bench {

    private Bench() {
    }

    record Env(String bootstrapServers) {
        /** acks=all, idempotent, 64 KiB batches; linger as given (5 ms flat out, 0 for latency). */
        Properties producerProps(int lingerMs) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
            p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
            return p;
        }

        Properties consumerProps() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            return p;
        }
    }

    /** One line of the table: a throughput, a latency distribution (microseconds), or both. */
    record Row(String name, long count, double perSecond, Histogram latencyMicros, String note) {
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
            return latencyMicros == null ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-58s %9s %10s %8s %8s %8s %8s  %s%n", "measurement", "count",
                "per sec", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "note");
        sb.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-58s %9d %10.0f %8s %8s %8s %8s  %s%n", r.name(), r.count(), r.perSecond(),
                    fmt(r.ms(50)), fmt(r.ms(90)), fmt(r.ms(99)), fmt(r.ms(99.9)), r.note()));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
