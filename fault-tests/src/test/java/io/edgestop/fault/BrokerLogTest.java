package io.edgestop.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.launcher.EmbeddedKafka;

/**
 * {@link BrokerLog} reads what a real broker wrote: each record's producer id, epoch and sequence number,
 * as the {@code Verifier} compares them to tell a batch appended twice from a record sent twice.
 */
class BrokerLogTest {

    @Test
    @Timeout(120)
    void readsEachRecordsProducerAndSequenceFromTheSegmentFiles(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp, AdapterKillTest.freePort(), false)) {
            String topic = "broker-log";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            }
            List<RecordMetadata> idempotent = new ArrayList<>();
            try (KafkaProducer<String, String> p = producer(kafka.bootstrapServers(), true)) {
                for (int i = 0; i < 3; i++) { // three batches of one record
                    idempotent.add(p.send(new ProducerRecord<>(topic, 1, "k", "v" + i)).get());
                }
                List<Future<RecordMetadata>> batch = new ArrayList<>();
                for (int i = 3; i < 5; i++) { // one batch of two
                    batch.add(p.send(new ProducerRecord<>(topic, 1, "k", "v" + i)));
                }
                p.flush();
                for (Future<RecordMetadata> f : batch) {
                    idempotent.add(f.get());
                }
            }
            RecordMetadata plain;
            try (KafkaProducer<String, String> p = producer(kafka.bootstrapServers(), false)) {
                plain = p.send(new ProducerRecord<>(topic, 1, "k", "plain")).get();
            }

            BrokerLog log = new BrokerLog(tmp);
            String first = log.appendedAs(topic, 1, idempotent.get(0).offset());
            assertNotNull(first, "the idempotent producer's first record");
            String producer = first.substring(0, first.indexOf(" sequence "));
            assertTrue(producer.matches("producer \\d+ epoch \\d+"), first);
            for (int i = 0; i < idempotent.size(); i++) {
                assertEquals(producer + " sequence " + i, log.appendedAs(topic, 1, idempotent.get(i).offset()), "record " + i);
            }
            assertNull(log.appendedAs(topic, 1, plain.offset()), "a producer without idempotence has no sequence numbers");
            assertNull(log.appendedAs(topic, 0, 0), "nothing was written to partition 0");
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, boolean idempotent) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        p.put(ProducerConfig.ACKS_CONFIG, idempotent ? "all" : "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
