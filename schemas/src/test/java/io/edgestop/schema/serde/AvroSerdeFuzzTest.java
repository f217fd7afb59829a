package io.edgestop.schema.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.edgestop.topics.TopicContract;

/**
 * Coverage-guided fuzzing of every Avro value serde of {@link TopicContract}: undecodable bytes end
 * in a {@link RecordDecodingException} (which the components dead-letter or count), never another
 * exception or an Error that would stop a component. Half the inputs start with a valid header of
 * a released writer schema, so the fuzzer reaches the record body's decoding.
 */
class AvroSerdeFuzzTest {

    @SuppressWarnings("unchecked")
    private static final List<AvroSerde<SpecificRecord>> SERDES = TopicContract.all().stream()
            .filter(c -> AvroSerdes.valueSerde(c) instanceof AvroSerde<?>)
            .map(c -> (AvroSerde<SpecificRecord>) AvroSerdes.valueSerde(c))
            .toList();

    @FuzzTest(maxDuration = "60s")
    void undecodableBytesAreARecordDecodingException(FuzzedDataProvider data) {
        AvroSerde<SpecificRecord> serde = SERDES.get(data.consumeInt(0, SERDES.size() - 1));
        byte[] bytes;
        if (data.consumeBoolean()) {
            byte[] header = header(serde, data.consumeInt(0, 7));
            byte[] body = data.consumeRemainingAsBytes();
            bytes = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, bytes, header.length, body.length);
        } else {
            bytes = data.consumeRemainingAsBytes();
        }
        try {
            SpecificRecord decoded = serde.deserialize("fuzz", bytes);
            // what decodes is a record of the serde's type that encodes again
            assertEquals(serde.type(), decoded.getClass());
            serde.serialize("fuzz", decoded);
        } catch (RecordDecodingException expected) {
            // dead-lettered by the orchestrator, counted by the adapter and the workers
        } catch (org.apache.kafka.common.errors.SerializationException reencode) {
            // a decoded record that breaks the current schema's rules on encoding: not written anywhere
        }
    }

    /** The single-object header (marker and fingerprint) of the serde's current schema. */
    private static byte[] header(AvroSerde<SpecificRecord> serde, int variant) {
        long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(
                org.apache.avro.specific.SpecificData.get().getSchema(serde.type()));
        byte[] h = new byte[10];
        h[0] = (byte) 0xC3;
        h[1] = 0x01;
        for (int i = 0; i < 8; i++) { // little-endian, as BinaryMessageEncoder writes it
            h[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return variant == 7 ? Arrays.copyOf(h, 9) : h;
    }
}
