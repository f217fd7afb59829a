package io.edgestop.schema.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.evolution.TopicSchemas;

/**
 * The generated custom coders (schemas/src/main/velocity/record.vm) against Avro's generic
 * writer, on random records of every record type reachable from a topic, nested ones and
 * {@code timestamp-millis} fields included: same bytes written, same record read back.
 */
class CustomCodersTest {

    private static final int RECORDS_PER_TYPE = 200;

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void customCodersWriteAndReadTheGenericWritersBytes() throws IOException {
        Map<String, Schema> records = new LinkedHashMap<>();
        TopicSchemas.current().forEach(s -> collectRecords(s, records));
        assertFalse(records.isEmpty());
        for (Schema schema : records.values()) {
            AvroSerde serde = new AvroSerde(SpecificData.get().getClass(schema));
            SpecificData model = SpecificData.getForSchema(schema);
            SpecificData generic = new SpecificData(model.getClassLoader());
            model.getConversions().forEach(generic::addLogicalTypeConversion);
            generic.setCustomCoders(false);
            SpecificDatumWriter<SpecificRecordBase> genericWriter = new SpecificDatumWriter<>(schema, generic);
            SpecificDatumReader<SpecificRecordBase> reader = new SpecificDatumReader<>(schema, schema, model);
            long seed = schema.getFullName().hashCode();
            for (Object random : new RandomData(schema, RECORDS_PER_TYPE, seed)) {
                byte[] randomBytes = write(out -> new GenericDatumWriter<>(schema, GenericData.get()).write(random, out));
                SpecificRecordBase record = reader.read(null, DecoderFactory.get().binaryDecoder(randomBytes, null));
                String what = schema.getName() + " " + random;
                // the specific record's maps are HashMaps: their order, not the random record's, is what both writers see
                byte[] expected = write(out -> genericWriter.write(record, out));

                assertArrayEquals(expected, write(record::customEncode), "customEncode: " + what);
                byte[] message = serde.serialize("t", record);
                assertArrayEquals(expected, Arrays.copyOfRange(message, 10, message.length), "AvroSerde: " + what);

                SpecificRecordBase decoded = (SpecificRecordBase) model.newRecord(null, schema);
                ResolvingDecoder in = DecoderFactory.get().resolvingDecoder(schema, schema,
                        DecoderFactory.get().binaryDecoder(expected, null));
                decoded.customDecode(in);
                assertEquals(record, decoded, "customDecode: " + what);
            }
        }
    }

    private interface Write {
        void to(BinaryEncoder out) throws IOException;
    }

    private static byte[] write(Write write) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        write.to(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void collectRecords(Schema s, Map<String, Schema> records) {
        switch (s.getType()) {
            case RECORD -> {
                if (records.putIfAbsent(s.getFullName(), s) == null) {
                    s.getFields().forEach(f -> collectRecords(f.schema(), records));
                }
            }
            case ARRAY -> collectRecords(s.getElementType(), records);
            case MAP -> collectRecords(s.getValueType(), records);
            case UNION -> s.getTypes().forEach(t -> collectRecords(t, records));
            default -> {
                // no nested records
            }
        }
    }
}
