package io.edgestop.orchestrator.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * The report relay on a real broker: a report its topic's workers may say is copied to verified-reports as
 * it was (key, value, timestamp, headers), anything else is dead-lettered with the reason, and the report
 * topic of a cluster created while the relay runs is read too, within a few metadata refreshes.
 */
@RealKafka
class ReportRelayIT {

    @TempDir
    Path stateDir;

    @Test
    void copiesBelievableReportsDeadLettersTheRestAndFindsNewClusters(KafkaBroker broker) throws Exception {
        Topics topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of("edge-a"), 2, (short) 1);
        }
        Map<String, String> v = new HashMap<>();
        v.put(OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        v.put(OrchestratorConfig.TOPIC_PREFIX, topics.prefix());
        v.put(OrchestratorConfig.APPLICATION_ID, "it-relay-" + topics.prefix().replace(".", ""));
        v.put(OrchestratorConfig.STATE_DIR, stateDir.toString());
        OrchestratorConfig config = OrchestratorConfig.fromMap(v);
        long at = System.currentTimeMillis() - 1_000;
        byte[] good = report("edge-a", "job-1");
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        try (ReportRelay relay = ReportRelay.start(config);
             KafkaProducer<String, byte[]> producer = producer(broker);
             KafkaConsumer<String, byte[]> out = consumer(broker, List.of(topics.verifiedReports(), topics.deadLetter()))) {
            producer.send(new ProducerRecord<>(topics.jobStatusReports("edge-a"), null, at, JobKey.of("edge-a", "job-1"), good, headers));
            // edge-a's worker speaking of edge-b's job, and a record that is no report at all
            producer.send(new ProducerRecord<>(topics.jobStatusReports("edge-a"), null, at, JobKey.of("edge-b", "job-9"),
                    report("edge-b", "job-9")));
            producer.send(new ProducerRecord<>(topics.jobStatusReports("edge-a"), null, at, JobKey.of("edge-a", "job-2"),
                    new byte[] {1, 2, 3}));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                out.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= 3;
            });
            List<ConsumerRecord<String, byte[]>> verified = seen.stream().filter(r -> r.topic().equals(topics.verifiedReports())).toList();
            assertEquals(1, verified.size(), "only the believable report: " + seen);
            assertEquals(JobKey.of("edge-a", "job-1"), verified.get(0).key());
            assertArrayEquals(good, verified.get(0).value());
            assertEquals(at, verified.get(0).timestamp());
            assertArrayEquals(headers.lastHeader("traceparent").value(), verified.get(0).headers().lastHeader("traceparent").value());
            List<String> reasons = seen.stream().filter(r -> r.topic().equals(topics.deadLetter()))
                    .map(r -> new String(r.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8)).toList();
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(reasons.stream().anyMatch(m -> m.contains("may name only its own cluster's jobs")), reasons.toString());
            assertTrue(reasons.stream().anyMatch(m -> m.contains("undecodable")), reasons.toString());

            // a cluster added while the relay runs: its topic is found and its first report copied
            try (Admin admin = broker.admin()) {
                TopicProvisioner.createDirectiveTopics(admin, topics, List.of("edge-new"), 2, (short) 1);
            }
            long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topics.jobStatusReports("edge-new"), null, System.currentTimeMillis(),
                    JobKey.of("edge-new", "job-1"), report("edge-new", "job-1"))).get();
            List<ConsumerRecord<String, byte[]>> later = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                out.poll(Duration.ofMillis(200)).forEach(later::add);
                return later.stream().anyMatch(r -> r.topic().equals(topics.verifiedReports())
                        && JobKey.of("edge-new", "job-1").equals(r.key()));
            });
            System.out.println("a new cluster's first report was relayed " + (System.nanoTime() - sent) / 1_000_000 + " ms after it was written");
        }
    }

    private static byte[] report(String cluster, String job) {
        return AvroSerdes.jobStatusReport().serialize("", JobStatusReport.newBuilder().setClusterId(cluster).setJobId(job)
                .setStatus(JobStatus.STOPPED).setStoppedAt(Instant.now()).setWorkerId("w").setReportedAt(Instant.now()).build());
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker, List<String> topics) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-relay-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(topics);
        return c;
    }
}
