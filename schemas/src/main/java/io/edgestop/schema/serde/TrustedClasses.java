package io.edgestop.schema.serde;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

import io.edgestop.schema.evolution.TopicSchemas;

/**
 * Avro 1.12 only instantiates classes it trusts when reading. This adds exactly our generated
 * classes to the process-wide list, keeping Avro's defaults for everything else: every named type
 * (record, enum, fixed) reachable from the schemas of {@link TopicSchemas}, so a new record type is
 * trusted by being the value of a topic of the {@code TopicContract}.
 */
final class TrustedClasses {

    private static boolean registered;

    private TrustedClasses() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        TopicSchemas.current().forEach(s -> collect(s, names));
        ClassSecurityValidator.Builder builder = ClassSecurityValidator.builder();
        names.forEach(builder::add);
        ClassSecurityPredicate ours = builder.build();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
        registered = true;
    }

    private static void collect(Schema s, Set<String> names) {
        switch (s.getType()) {
            case RECORD -> {
                if (names.add(s.getFullName())) {
                    s.getFields().forEach(f -> collect(f.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(s.getFullName());
            case ARRAY -> collect(s.getElementType(), names);
            case MAP -> collect(s.getValueType(), names);
            case UNION -> s.getTypes().forEach(t -> collect(t, names));
            default -> {
                // primitives need no class
            }
        }
    }
}
