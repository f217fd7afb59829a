package io.edgestop.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads output topics the way a downstream consumer would: {@code isolation.level=read_committed},
 * every partition from the beginning up to the last stable offset at the time of the call.
 */
final class Outputs {

    private Outputs() {
    }

    static Properties consumerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fault-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Every committed record of these topics, raw. */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, Collection<String> topics) {
        return readAll(consumerProps(bootstrap), topics);
    }

    /** Every record of these topics that a consumer with these properties sees, raw. */
    static List<ConsumerRecord<String, byte[]>> readAll(Properties props, Collection<String> topics) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(30));
                for (PartitionInfo pi : infos) {
                    parts.add(new TopicPartition(t, pi.partition()));
                }
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!done(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to " + end);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static boolean done(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * For a failure message: per input partition of the consumer group {@code groupId}, its committed offset
     * against the partition's end offset (read committed), to tell a stalled partition from a slow one.
     */
    static String groupProgress(String bootstrap, String groupId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(
                    IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            return new TreeMap<>(committed.entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().toString(),
                    e -> e.getValue().offset() + "/" + ends.get(e.getKey()).offset()))).toString();
        } catch (Exception e) {
            return "unavailable (" + e + ")";
        }
    }

    /**
     * A transaction open on a partition (its leader's DescribeProducers), holding the partition's last stable
     * offset behind its end, and what its producer's transaction coordinator says (DescribeTransactions). It
     * is hanging when the coordinator has no transaction of that producer ongoing on the partition: nothing
     * will then ever end it, and every read_committed reader of the partition (a restoring task's changelog
     * reader included) stays behind it for good.
     */
    record OpenTransaction(TopicPartition partition, long stable, long end, long producerId, int epoch, long from,
                           String coordinatorSays, boolean hanging) {
        @Override
        public String toString() {
            return partition + " stable at " + stable + " of " + end + ": producer " + producerId + " epoch " + epoch + " from "
                    + from + (hanging ? " HANGING" : "") + " (its coordinator: " + coordinatorSays + ")";
        }
    }

    /** The open transactions of every topic partition of the cluster. */
    static List<OpenTransaction> openTransactions(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) ->
                    d.partitions().forEach(pi -> latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest())));
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS);
            List<TopicPartition> behind = latest.keySet().stream().filter(tp -> stable.get(tp).offset() < ends.get(tp).offset())
                    .sorted(java.util.Comparator.comparing(TopicPartition::toString)).toList();
            Map<Long, TransactionDescription> byProducer = new HashMap<>();
            List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
            admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS).values().forEach(d -> byProducer.put(d.producerId(), d));
            var producers = admin.describeProducers(behind).all().get(30, TimeUnit.SECONDS);
            List<OpenTransaction> open = new ArrayList<>();
            for (TopicPartition tp : behind) {
                for (ProducerState s : producers.get(tp).activeProducers()) {
                    if (s.currentTransactionStartOffset().isPresent()) {
                        TransactionDescription d = byProducer.get(s.producerId());
                        boolean ongoingHere = d != null && d.topicPartitions().contains(tp) && (d.state() == TransactionState.ONGOING
                                || d.state() == TransactionState.PREPARE_COMMIT || d.state() == TransactionState.PREPARE_ABORT);
                        open.add(new OpenTransaction(tp, stable.get(tp).offset(), ends.get(tp).offset(), s.producerId(), s.producerEpoch(),
                                s.currentTransactionStartOffset().getAsLong(),
                                d == null ? "no transaction" : d.state() + " at epoch " + d.producerEpoch() + " on " + d.topicPartitions().size()
                                        + " partitions", !ongoingHere));
                    }
                }
            }
            return open;
        }
    }

    /** A consumer that keeps reading one topic (read_committed) from the beginning; poll() returns what is new. */
    static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        Tail(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(consumerProps(bootstrap));
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, pi.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        List<ConsumerRecord<String, byte[]>> poll() {
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
            return out;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Every cluster's report topic (only its own workers write it). */
    static Set<String> reportTopics(Scenario s) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String c : Scenario.CLUSTERS) {
            out.add(s.topics.jobStatusReports(c));
        }
        return out;
    }

    static Set<String> directiveTopics(Scenario s) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String c : Scenario.CLUSTERS) {
            out.add(s.topics.directives(c));
        }
        return out;
    }
}
