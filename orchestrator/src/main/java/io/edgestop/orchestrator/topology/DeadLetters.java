package io.edgestop.orchestrator.topology;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;

/**
 * Dead letters from where Kafka Streams has no producer: the global thread that keeps the
 * job-state store. Records carry the same {@code __streams.errors.*} headers as Kafka Streams'
 * own dead letters, so operators read one format on the dead-letter topic.
 */
public interface DeadLetters extends AutoCloseable {

    /** Sends the undecodable record (key and value as they were) with the reason. */
    void send(String topic, int partition, long offset, byte[] key, byte[] value, Exception reason);

    @Override
    default void close() {
    }

    /** The dead-letter record for an input record: the raw key and value, and where it came from and why in headers. */
    static ProducerRecord<byte[], byte[]> record(String deadLetterTopic, String topic, int partition, long offset,
                                                 byte[] key, byte[] value, Exception reason) {
        StringWriter trace = new StringWriter();
        reason.printStackTrace(new PrintWriter(trace));
        RecordHeaders headers = new RecordHeaders();
        headers.add("__streams.errors.exception", reason.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.message", String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.stacktrace", trace.toString().getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.topic", topic.getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
    }

    /** {@code target}, counting each dead letter in {@code metrics}. */
    static DeadLetters counted(DeadLetters target, OrchestratorMetrics metrics) {
        return new DeadLetters() {
            @Override
            public void send(String topic, int partition, long offset, byte[] key, byte[] value, Exception reason) {
                metrics.deadLettered();
                target.send(topic, partition, offset, key, value, reason);
            }

            @Override
            public void close() {
                target.close();
            }
        };
    }

    /** A producer of its own (idempotent, acks=all) writing to the configured dead-letter topic. */
    static DeadLetters toKafka(OrchestratorConfig config, Duration closeTimeout) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties("dead-letters"),
                new ByteArraySerializer(), new ByteArraySerializer());
        String deadLetterTopic = config.topics().deadLetter();
        return new DeadLetters() {
            @Override
            public void send(String topic, int partition, long offset, byte[] key, byte[] value, Exception reason) {
                producer.send(record(deadLetterTopic, topic, partition, offset, key, value, reason));
            }

            @Override
            public void close() {
                producer.close(closeTimeout);
            }
        };
    }
}
