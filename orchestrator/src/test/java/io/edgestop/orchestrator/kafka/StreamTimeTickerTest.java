package io.edgestop.orchestrator.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.decision.ReportBinding;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/** {@link StreamTimeTicker} on a real broker: a tick on every partition of stream-time-ticks at each interval, or none at all. */
@RealKafka
class StreamTimeTickerTest {

    static final int PARTITIONS = 3;
    static final Duration CLOSE = Duration.ofSeconds(2);

    @TempDir
    Path stateDir;

    OrchestratorConfig config(KafkaBroker broker, Topics topics, long tickMs) {
        Map<String, String> v = new HashMap<>();
        v.put(OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        v.put(OrchestratorConfig.TOPIC_PREFIX, topics.prefix());
        v.put(OrchestratorConfig.STATE_DIR, stateDir.toString());
        v.put(OrchestratorConfig.TICK_INTERVAL_MS, Long.toString(tickMs));
        return OrchestratorConfig.fromMap(v);
    }

    @Test
    void offWhenTheIntervalIsZero(KafkaBroker broker) {
        assertNull(StreamTimeTicker.startIfEnabled(config(broker, new Topics(broker.uniquePrefix()), 0), CLOSE));
    }

    @Test
    void everyPartitionGetsTicksThatCarryTheirOwnTime(KafkaBroker broker) throws Exception {
        Topics topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1);
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<ConsumerRecord<String, JobStatusReport>> ticks = new ArrayList<>();
        try (StreamTimeTicker ticker = StreamTimeTicker.startIfEnabled(config(broker, topics, 100), CLOSE);
             KafkaConsumer<String, JobStatusReport> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                     AvroSerdes.jobStatusReport())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                partitions.add(new TopicPartition(topics.streamTimeTicks(), i));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(ticks::add);
                return partitions.stream().allMatch(tp -> ticks.stream().filter(r -> r.partition() == tp.partition()).count() >= 2);
            });
        }
        Map<Integer, Long> last = new HashMap<>();
        for (ConsumerRecord<String, JobStatusReport> r : ticks) {
            assertEquals(ReportBinding.TICK_CLUSTER + "/" + r.partition(), r.key());
            assertEquals(ReportBinding.TICK_CLUSTER, r.value().getClusterId());
            assertEquals(JobStatus.UNKNOWN, r.value().getStatus(), "a tick reports nothing about any job");
            assertEquals(r.timestamp(), r.value().getReportedAt().toEpochMilli(), "the record's time is the tick's");
            Long before = last.put(r.partition(), r.timestamp());
            assertTrue(before == null || before < r.timestamp(), "stream time moves on: " + before + " then " + r.timestamp());
        }
    }
}
