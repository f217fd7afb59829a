package io.edgestop.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes on a topic that are not a single-object-encoded record of the expected type (or of a
 * released earlier version of it). Kafka Streams' deserialization handler dead-letters these.
 */
public class RecordDecodingException extends SerializationException {

    private final String topic;
    private final String expectedType;

    public RecordDecodingException(String topic, String expectedType, String reason, Throwable cause) {
        super("Cannot decode " + expectedType + " from topic '" + topic + "': " + reason, cause);
        this.topic = topic;
        this.expectedType = expectedType;
    }

    public String topic() {
        return topic;
    }

    public String expectedType() {
        return expectedType;
    }
}
