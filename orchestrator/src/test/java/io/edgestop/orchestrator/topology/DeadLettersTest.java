package io.edgestop.orchestrator.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter format: the orchestrator's own dead letters (from the job-state global store) are
 * the records Kafka Streams writes for every other input, header for header, so operators read one
 * format on the dead-letter topic. Compared with the record Kafka Streams 4.3.1 itself builds.
 */
class DeadLettersTest {

    @Test
    void ourDeadLettersAreKafkaStreamsDeadLetters() {
        byte[] key = "cluster-a/job-1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {1, 2, 3};
        Exception reason = new SerializationException("Cannot decode JobState");
        ProducerRecord<byte[], byte[]> ours = DeadLetters.record("p.dead-letter", "p.job-state", 2, 41L, key, value, reason);
        ProducerRecord<byte[], byte[]> streams = ExceptionHandlerUtils.buildDeadLetterQueueRecord("p.dead-letter", key, value,
                new Origin("p.job-state", 2, 41L), reason);

        assertEquals(streams.topic(), ours.topic());
        assertArrayEquals(streams.key(), ours.key());
        assertArrayEquals(streams.value(), ours.value());
        assertEquals(headers(streams.headers()), headers(ours.headers()));
    }

    private static Map<String, String> headers(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Where the record came from, as Kafka Streams' handlers are told (no headers, as a global-store record has none for us). */
    private record Origin(String topic, int partition, long offset) implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "job-state";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition);
        }

        @Override
        public long timestamp() {
            return 1_700_000_000_000L;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }
}
