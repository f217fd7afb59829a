package io.edgestop.schema.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerde;

/**
 * The build's evolution gate: these tests run in {@code ./mvnw verify}, so a schema change that
 * breaks compatibility with any kept version, or that was not released, fails the build.
 */
class SchemaEvolutionGateTest {

    @Test
    void everyCurrentSchemaIsCompatibleWithEveryKeptVersion() {
        for (Schema current : TopicSchemas.current()) {
            List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            assertFalse(released.isEmpty(), current.getName() + " has no released version");
            assertEquals(List.of(), SchemaEvolutionGate.violations(current, released));
        }
    }

    @Test
    void everyCurrentSchemaIsReleased() {
        for (Schema current : TopicSchemas.current()) {
            List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            assertTrue(ReleaseSchemas.sameCanonicalForm(released.get(released.size() - 1), current),
                    current.getName() + " changed since its last release: run "
                            + "./mvnw -q -pl schemas compile exec:java@release-schemas and commit the new version");
        }
    }

    /** Data written with every kept version of every schema is read by the current classes. */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void dataWrittenWithEveryKeptVersionIsReadable() throws Exception {
        for (Schema current : TopicSchemas.current()) {
            Class<?> type = Class.forName(current.getFullName());
            AvroSerde serde = new AvroSerde(type);
            List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            for (int v = 0; v < released.size(); v++) {
                Schema old = released.get(v);
                int n = 0;
                for (Object datum : new RandomData(old, 20, 7L + v)) {
                    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old)
                            .encode((GenericRecord) datum);
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    Object read = serde.deserialize("t", bytes);
                    assertTrue(type.isInstance(read), current.getName() + " v" + (v + 1));
                    n++;
                }
                assertEquals(20, n);
            }
        }
    }

    @Test
    void rejectsANewRequiredFieldWithoutDefault() {
        Schema current = StopCommand.getClassSchema();
        Schema changed = withExtraField(current, "{\"name\":\"priority\",\"type\":\"int\"}");
        List<String> problems = SchemaEvolutionGate.violations(changed, List.of(current));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("not backward compatible with v1"), problems.get(0));
        assertTrue(problems.get(0).contains("priority"), problems.get(0));
    }

    @Test
    void rejectsRemovingAFieldThatHasNoDefault() {
        Schema current = io.edgestop.schema.JobState.getClassSchema();
        Schema changed = rebuilt(current, f -> f.name().equals("domainName") ? null : copy(f, f.schema()));
        assertEquals(current.getFields().size() - 1, changed.getFields().size());
        List<String> problems = SchemaEvolutionGate.violations(changed, List.of(current));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("not forward compatible"), problems.get(0));
    }

    @Test
    void rejectsChangingAFieldType() {
        Schema current = StopCommand.getClassSchema();
        Schema changed = rebuilt(current, f -> f.name().equals("secureTransport")
                ? new Schema.Field(f.name(), Schema.create(Schema.Type.STRING), f.doc(), "no")
                : copy(f, f.schema()));
        List<String> problems = SchemaEvolutionGate.violations(changed, List.of(current));
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void acceptsANewOptionalFieldWithDefault() {
        Schema current = StopCommand.getClassSchema();
        Schema changed = withExtraField(current,
                "{\"name\":\"priority\",\"type\":[\"null\",\"int\"],\"default\":null,\"doc\":\"new\"}");
        assertEquals(List.of(), SchemaEvolutionGate.violations(changed, List.of(current)));
    }

    private static Schema rebuilt(Schema schema, java.util.function.Function<Schema.Field, Schema.Field> change) {
        List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            Schema.Field changed = change.apply(f);
            if (changed != null) {
                fields.add(changed);
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Schema.Field copy(Schema.Field f, Schema type) {
        return new Schema.Field(f.name(), type, f.doc(), f.defaultVal());
    }

    private static Schema withExtraField(Schema schema, String fieldJson) {
        String json = schema.toString();
        int end = json.lastIndexOf("]}");
        return new Schema.Parser().parse(json.substring(0, end) + "," + fieldJson + json.substring(end));
    }
}
