package io.edgestop.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records written per command, for every topic of the cluster: the end offset of every partition
 * of every topic (internal Kafka topics excluded, Kafka Streams' changelog and repartition topics
 * included, whatever their names) before and after a phase.
 *
 * <p>End offsets also advance by one commit marker per partition per exactly-once transaction that
 * wrote to it, and by aborted records. So the records between the two offsets are read back with
 * read_committed and counted: records = committed records; read again with read_uncommitted, the
 * difference is aborted records (a transaction that was aborted), and markers = the rest. Kafka Streams
 * deletes records of its repartition topics once consumed; a range already deleted is estimated at
 * the records-per-offset ratio of what is left of that topic (marked {@code ~}).
 */
final class RecordCounter {

    /** The end offset of every partition at one moment. */
    record Snapshot(Map<TopicPartition, Long> ends) {
    }

    /** What one topic got during a phase: offsets advanced, committed records, aborted records, whether estimated. */
    record TopicCount(String topic, long offsets, double records, long aborted, boolean estimated) {
    }

    /** Everything written during one phase of {@code commands} commands. */
    record Written(String phase, long commands, List<TopicCount> topics) {
        double records() {
            return topics.stream().mapToDouble(TopicCount::records).sum();
        }

        long offsets() {
            return topics.stream().mapToLong(TopicCount::offsets).sum();
        }

        long aborted() {
            return topics.stream().mapToLong(TopicCount::aborted).sum();
        }

        double perCommand(double n) {
            return n / Math.max(1, commands);
        }
    }

    private final Bench.Env env;
    private final Set<String> excluded;
    private final String stripPrefix;

    /** {@code excluded}: topics not counted (the command topic the benchmark writes); {@code stripPrefix}: cut from names. */
    RecordCounter(Bench.Env env, Set<String> excluded, String stripPrefix) {
        this.env = env;
        this.excluded = excluded;
        this.stripPrefix = stripPrefix;
    }

    Snapshot snapshot() throws Exception {
        try (Admin admin = admin()) {
            Set<String> names = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            names.removeAll(excluded);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return new Snapshot(ends);
        }
    }

    /** What was written between two snapshots, by topic (topics that got nothing left out). */
    Written written(String phase, long commands, Snapshot before, Snapshot after) throws Exception {
        Map<TopicPartition, Long> from = new HashMap<>();
        after.ends().forEach((tp, end) -> {
            long start = before.ends().getOrDefault(tp, 0L);
            if (end > start) {
                from.put(tp, start);
            }
        });
        if (from.isEmpty()) {
            return new Written(phase, commands, List.of());
        }
        Map<TopicPartition, Long> logStart = new HashMap<>();
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            from.keySet().forEach(tp -> request.put(tp, OffsetSpec.earliest()));
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> logStart.put(tp, info.offset()));
        }
        Map<TopicPartition, Long> readFrom = new HashMap<>();
        from.forEach((tp, start) -> readFrom.put(tp, Math.max(start, logStart.get(tp))));
        Map<TopicPartition, Long> counted = count(readFrom, after.ends(), "read_committed");
        Map<TopicPartition, Long> all = count(readFrom, after.ends(), "read_uncommitted");

        // offsets, offsets read, records read, offsets deleted before read, aborted records read
        Map<String, long[]> byTopic = new TreeMap<>();
        from.forEach((tp, start) -> {
            long[] t = byTopic.computeIfAbsent(tp.topic(), k -> new long[5]);
            long end = after.ends().get(tp);
            t[0] += end - start;
            t[1] += end - readFrom.get(tp);
            t[2] += counted.getOrDefault(tp, 0L);
            t[3] += readFrom.get(tp) - start;
            t[4] += Math.max(0, all.getOrDefault(tp, 0L) - counted.getOrDefault(tp, 0L));
        });
        long allRead = byTopic.values().stream().mapToLong(t -> t[1]).sum();
        long allRecords = byTopic.values().stream().mapToLong(t -> t[2]).sum();
        List<TopicCount> topics = new ArrayList<>();
        byTopic.forEach((topic, t) -> {
            double ratio = t[1] > 0 ? (double) t[2] / t[1] : (double) allRecords / Math.max(1, allRead);
            topics.add(new TopicCount(shortName(topic), t[0], t[2] + t[3] * ratio, t[4], t[3] > 0));
        });
        return new Written(phase, commands, topics);
    }

    /** Records (as {@code isolation} sees them) from {@code from} (inclusive) to {@code to} (exclusive) of each partition. */
    private Map<TopicPartition, Long> count(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, String isolation) {
        var props = env.consumerProps();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // deleted between listing and reading (rare): skipped, counts as markers
        Map<TopicPartition, Long> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            List<TopicPartition> open = new ArrayList<>(from.keySet());
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < to.get(tp)) {
                        counts.merge(tp, 1L, Long::sum);
                    }
                }
                open.removeIf(tp -> consumer.position(tp) >= to.get(tp));
                consumer.pause(from.keySet().stream().filter(tp -> !open.contains(tp)).toList());
            }
        }
        return counts;
    }

    private String shortName(String topic) {
        return topic.startsWith(stripPrefix) ? "*" + topic.substring(stripPrefix.length()) : topic;
    }

    private Admin admin() {
        return env.admin();
    }

    /** Records per command of each phase, one column per phase, one line per topic, then totals and markers. */
    static String table(List<Written> phases) {
        Set<String> topics = new TreeSet<>();
        phases.forEach(w -> w.topics().forEach(t -> topics.add(t.topic())));
        StringBuilder sb = new StringBuilder();
        String first = String.format(Locale.ROOT, "%-64s", "records written per command, by topic");
        StringBuilder header = new StringBuilder(first);
        for (Written w : phases) {
            header.append(String.format(Locale.ROOT, " %22s", w.phase() + " (" + w.commands() + ")"));
        }
        sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (String topic : topics) {
            sb.append(String.format(Locale.ROOT, "%-64s", topic));
            for (Written w : phases) {
                TopicCount t = w.topics().stream().filter(c -> c.topic().equals(topic)).findFirst().orElse(null);
                sb.append(String.format(Locale.ROOT, " %22s", t == null ? "0" : (t.estimated() ? "~" : "")
                        + String.format(Locale.ROOT, "%.2f", w.perCommand(t.records()))));
            }
            sb.append('\n');
        }
        line(sb, phases, "= records per command (committed, markers excluded)", w -> w.perCommand(w.records()));
        line(sb, phases, "+ aborted records per command (read_uncommitted - read_committed)", w -> w.perCommand(w.aborted()));
        line(sb, phases, "+ commit markers per command", w -> w.perCommand(w.offsets() - w.records() - w.aborted()));
        line(sb, phases, "= end offsets advanced per command", w -> w.perCommand(w.offsets()));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<Written> phases, String label, java.util.function.ToDoubleFunction<Written> f) {
        sb.append(String.format(Locale.ROOT, "%-64s", label));
        phases.forEach(w -> sb.append(String.format(Locale.ROOT, " %22.2f", f.applyAsDouble(w))));
        sb.append('\n');
    }
}
