package io.edgestop.schema.evolution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

import io.edgestop.topics.TopicContract;

/**
 * The current schema of every record type written to a Kafka topic, store changelogs and the
 * repartition topic included: the Avro values of the {@link TopicContract}, each once. What the
 * gate guards.
 */
public final class TopicSchemas {

    private TopicSchemas() {
    }

    public static List<Schema> current() {
        Map<String, Schema> byName = new LinkedHashMap<>();
        for (TopicContract<?> topic : TopicContract.all()) {
            if (topic.avro()) {
                byName.putIfAbsent(topic.valueSchema().getFullName(), topic.valueSchema());
            }
        }
        return List.copyOf(byName.values());
    }
}
