package io.edgestop.schema.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.edgestop.schema.evolution.SchemaHistory;

/**
 * Kafka Serde for a generated Avro record class using Avro's single-object encoding: each
 * message starts with the marker {@code C3 01} and the 8-byte CRC-64-AVRO fingerprint of the
 * writer schema, then the binary datum. No schema registry is needed: the reader knows every
 * released version of the schema (see {@link SchemaHistory}) and resolves old messages to the
 * current class.
 *
 * <p>A {@code null} value (a tombstone) passes through as {@code null} both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    static {
        TrustedClasses.register();
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(Class<T> type) {
        this(type, SchemaHistory.releasedVersions(SpecificData.get().getSchema(type).getName()));
    }

    /** A Serde that can also read the given writer schemas (each resolved to the current class). */
    public AvroSerde(Class<T> type, List<Schema> readableWriterSchemas) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema current = SpecificData.get().getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(encodingModel(model), current);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        readableWriterSchemas.forEach(decoder::addSchema);
    }

    /**
     * The class's model with the generated custom coders switched on (Avro's default is off): a
     * record is written by its own {@code customEncode}, field by field, instead of the generic
     * writer's per-field lookups and union resolution. Same bytes (see schemas/src/main/velocity).
     * A model of our own, so the generated class's shared one keeps Avro's defaults.
     */
    private static SpecificData encodingModel(SpecificData classModel) {
        SpecificData encoding = new SpecificData(classModel.getClassLoader());
        classModel.getConversions().forEach(encoding::addLogicalTypeConversion);
        encoding.setCustomCoders(true);
        return encoding;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(record);
            // Avro already copied the bytes out of its reused buffer into an array of their own: hand that over
            if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                    && buffer.remaining() == buffer.array().length) {
                return buffer.array();
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + type.getSimpleName() + " for topic '" + topic
                    + "': " + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String expected = type.getSimpleName();
        if (data.length < 10) {
            throw new RecordDecodingException(topic, expected,
                    "message too short for single-object encoding (" + data.length + " bytes, need at least 10)", null);
        }
        try {
            return decoder.decode(data);
        } catch (BadHeaderException e) {
            throw new RecordDecodingException(topic, expected, "not Avro single-object encoded (" + e.getMessage() + ")", e);
        } catch (MissingSchemaException e) {
            throw new RecordDecodingException(topic, expected,
                    "writer schema is not a released version of " + expected + " (" + e.getMessage() + ")", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new RecordDecodingException(topic, expected, "corrupt record body (" + e + ")", e);
        } catch (RuntimeException e) {
            throw new RecordDecodingException(topic, expected, "unexpected decoding failure (" + e + ")", e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the schemas are compiled in
    }

    @Override
    public void close() {
        // stateless
    }
}
