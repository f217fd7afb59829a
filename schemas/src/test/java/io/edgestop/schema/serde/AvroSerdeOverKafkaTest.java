package io.edgestop.schema.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

import io.edgestop.schema.SampleRecords;
import io.edgestop.schema.StopCommand;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/** Every schema's record through the Serde and a real broker, and bad bytes on a real topic. */
@RealKafka
class AvroSerdeOverKafkaTest {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordRoundTripsThroughTheBroker(KafkaBroker kafka) {
        for (SpecificRecord record : SampleRecords.all()) {
            String topic = kafka.uniqueTopic(record.getClass().getSimpleName());
            kafka.createTopic(topic, 1);
            AvroSerde serde = new AvroSerde(record.getClass());
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProps(kafka), new StringSerializer(), serde)) {
                producer.send(new ProducerRecord<>(topic, "k", record)).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerProps(kafka), new StringDeserializer(), serde)) {
                consumer.subscribe(List.of(topic));
                List<Object> got = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
                    return !got.isEmpty();
                });
                assertEquals(List.of(record), got, record.getClass().getSimpleName());
            }
        }
    }

    @Test
    void badBytesOnATopicGiveTheClearDecodingError(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("stop-commands");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(kafka), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "definitely not avro".getBytes())).get();
        }
        try (KafkaConsumer<String, StopCommand> consumer = new KafkaConsumer<>(consumerProps(kafka), new StringDeserializer(), AvroSerdes.stopCommand())) {
            consumer.subscribe(List.of(topic));
            RecordDeserializationException e = assertThrows(RecordDeserializationException.class, () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, StopCommand> r : consumer.poll(Duration.ofMillis(200))) {
                        throw new AssertionError("decoded garbage as " + r.value());
                    }
                }
            });
            assertEquals(0L, e.offset());
            RecordDecodingException cause = assertInstanceOf(RecordDecodingException.class, e.getCause());
            assertEquals(topic, cause.topic());
            assertTrue(cause.getMessage().contains("not Avro single-object encoded"), cause.getMessage());
        }
    }

    private static Properties producerProps(KafkaBroker kafka) {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static Properties consumerProps(KafkaBroker kafka) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueTopic("group"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }
}
