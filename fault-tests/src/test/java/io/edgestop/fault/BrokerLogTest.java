package io.edgestop.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.devtools.EmbeddedKafka;

/**
 * {@link BrokerLog} reads what a real broker wrote (each record's producer id, epoch and sequence number; no
 * transaction without its marker after commits and aborts), and finds a transaction left without its marker.
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

            // transactions committed and aborted as the broker ends them: every one has its marker
            Properties tx = new Properties();
            tx.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "broker-log-test");
            try (KafkaProducer<String, String> p = new KafkaProducer<>(tx, new StringSerializer(), new StringSerializer())) {
                p.initTransactions();
                for (int i = 0; i < 4; i++) {
                    p.beginTransaction();
                    p.send(new ProducerRecord<>(topic, 0, "k", "t" + i));
                    p.send(new ProducerRecord<>(topic, 1, "k", "t" + i));
                    if (i == 2) {
                        p.abortTransaction();
                    } else {
                        p.commitTransaction();
                    }
                }
            }
            assertEquals(List.of(), new BrokerLog(tmp).transactionsWithoutMarkers());
        }
    }

    /** A producer's records followed by its records of a later epoch, or by a later transaction's marker: one is missing. */
    @Test
    void findsATransactionLeftWithoutItsMarker(@TempDir Path tmp) throws Exception {
        Path partition = Files.createDirectories(tmp.resolve("kafka").resolve("log").resolve("results-3"));
        long producer = 7;
        try (FileRecords log = FileRecords.open(partition.resolve("00000000000000000000.log").toFile())) {
            log.append(MemoryRecords.withTransactionalRecords(0, Compression.NONE, producer, (short) 3, 0, 0, new SimpleRecord("a".getBytes())));
            log.append(MemoryRecords.withEndTransactionMarker(1, 0, 0, producer, (short) 4, new EndTransactionMarker(ControlRecordType.COMMIT, 0)));
            log.append(MemoryRecords.withTransactionalRecords(2, Compression.NONE, producer, (short) 4, 0, 0, new SimpleRecord("b".getBytes())));
            // the coordinator completed epoch 4's transaction without its marker here: epoch 5 follows directly
            log.append(MemoryRecords.withTransactionalRecords(3, Compression.NONE, producer, (short) 5, 0, 0, new SimpleRecord("c".getBytes())));
            log.append(MemoryRecords.withEndTransactionMarker(4, 0, 0, producer, (short) 6, new EndTransactionMarker(ControlRecordType.ABORT, 0)));
            log.append(MemoryRecords.withTransactionalRecords(5, Compression.NONE, producer, (short) 6, 0, 0, new SimpleRecord("d".getBytes())));
            // and epoch 6's here: the next marker is epoch 8's, which ended epoch 7's transaction (written elsewhere)
            log.append(MemoryRecords.withEndTransactionMarker(6, 0, 0, producer, (short) 8, new EndTransactionMarker(ControlRecordType.ABORT, 0)));
        }
        assertEquals(List.of("results-3: producer 7 epoch 4 from offset 2 without a marker before epoch 5 at offset 3",
                        "results-3: producer 7 epoch 6 from offset 5 without a marker before the marker of epoch 8 at offset 6"),
                new BrokerLog(tmp).transactionsWithoutMarkers());
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
