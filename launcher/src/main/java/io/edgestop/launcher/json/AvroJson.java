package io.edgestop.launcher.json;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Plain JSON for Avro records (no union wrappers; timestamps as ISO-8601 UTC strings). */
public final class AvroJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static JsonNode toJson(Object value) {
        if (value == null) {
            return F.nullNode();
        }
        if (value instanceof GenericRecord r) {
            ObjectNode o = F.objectNode();
            for (Schema.Field f : r.getSchema().getFields()) {
                o.set(f.name(), toJson(r.get(f.pos())));
            }
            return o;
        }
        if (value instanceof CharSequence || value instanceof Enum<?>) {
            return F.textNode(value.toString());
        }
        if (value instanceof org.apache.avro.generic.GenericEnumSymbol<?> s) {
            return F.textNode(s.toString());
        }
        if (value instanceof Instant i) {
            return F.textNode(i.toString());
        }
        if (value instanceof Integer i) {
            return F.numberNode(i);
        }
        if (value instanceof Long l) {
            return F.numberNode(l);
        }
        if (value instanceof Double d) {
            return F.numberNode(d);
        }
        if (value instanceof Float d) {
            return F.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (value instanceof ByteBuffer b) {
            ByteBuffer d = b.duplicate();
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            return F.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
            return o;
        }
        if (value instanceof Collection<?> c) {
            ArrayNode a = F.arrayNode();
            c.forEach(v -> a.add(toJson(v)));
            return a;
        }
        return F.textNode(value.toString());
    }
}
