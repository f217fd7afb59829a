package io.edgestop.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

@RealKafka
class ReadToEndTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void anEmptyTopicIsReadAtOnce(KafkaBroker broker) {
        String topic = broker.uniqueTopic("empty");
        broker.createTopic(topic, 3);
        try (KafkaConsumer<String, String> consumer = consumer(broker)) {
            assignFromBeginning(consumer, topic, 3);
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long started = System.nanoTime();
            assertEquals(0, ReadToEnd.read(consumer, TIMEOUT, read::add));
            assertTrue(read.isEmpty());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "no waiting for records that do not exist");
        }
    }

    @Test
    void noPartitionAssignedIsNothingToRead(KafkaBroker broker) {
        try (KafkaConsumer<String, String> consumer = consumer(broker)) {
            ReadToEnd toEnd = ReadToEnd.of(consumer, TIMEOUT);
            assertEquals(Map.of(), toEnd.ends());
            assertEquals(0, toEnd.read(consumer, r -> { }));
            assertTrue(toEnd.reached(consumer));
        }
    }

    @Test
    void everyPartitionIsReadToItsEndInOffsetOrder(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("several");
        broker.createTopic(topic, 3);
        try (KafkaProducer<String, String> producer = producer(broker)) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, "k" + i, Integer.toString(i))).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer(broker)) {
            assignFromBeginning(consumer, topic, 3);
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            assertEquals(30, ReadToEnd.read(consumer, TIMEOUT, read::add));
            assertEquals(30, read.size());
            for (int p = 0; p < 3; p++) {
                int partition = p;
                List<Long> offsets = read.stream().filter(r -> r.partition() == partition).map(ConsumerRecord::offset).toList();
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), offsets, "partition " + p);
            }
            assertTrue(consumer.paused().isEmpty(), "the partitions paused at their ends are resumed");
        }
    }

    /** A record at a time (the partition stops at its end) or many (the fetch goes past it and the read sets it back). */
    @ParameterizedTest
    @ValueSource(ints = {1, 500})
    void recordsWrittenAfterTheEndsWereTakenAreLeftForWhoeverReadsOn(int maxPollRecords, KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("later");
        broker.createTopic(topic, 2);
        try (KafkaProducer<String, String> producer = producer(broker);
             KafkaConsumer<String, String> consumer = consumer(broker, maxPollRecords)) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k", "before-" + i)).get();
            }
            assignFromBeginning(consumer, topic, 2);
            ReadToEnd toEnd = ReadToEnd.of(consumer, TIMEOUT);
            assertEquals(Map.of(new TopicPartition(topic, 0), 2L, new TopicPartition(topic, 1), 2L), toEnd.ends());
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k", "after-" + i)).get();
            }

            List<String> read = new ArrayList<>();
            assertEquals(4, toEnd.read(consumer, r -> read.add(r.value())));
            assertEquals(List.of("before-0", "before-1", "before-2", "before-3"), read.stream().sorted().toList());
            assertTrue(toEnd.reached(consumer));
            assertFalse(ReadToEnd.of(consumer, TIMEOUT).reached(consumer), "the later records are there to read");

            List<String> later = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> later.add(r.value()));
                return later.size() >= 4;
            });
            assertEquals(List.of("after-0", "after-1", "after-2", "after-3"), later.stream().sorted().toList(),
                    "none skipped, none twice");
        }
    }

    private static void assignFromBeginning(KafkaConsumer<String, String> consumer, String topic, int partitions) {
        List<TopicPartition> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            parts.add(new TopicPartition(topic, p));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker broker) {
        // one record per poll: the read must stop at the ends however the fetches fall
        return consumer(broker, 1);
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker broker, int maxPollRecords) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
