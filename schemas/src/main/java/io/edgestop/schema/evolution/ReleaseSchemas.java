package io.edgestop.schema.evolution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Releases the current schemas: for every topic schema whose canonical form differs from its
 * latest kept version, checks the evolution gate and writes it as the next version.
 *
 * <pre>./mvnw -q -pl schemas compile exec:java@release-schemas</pre>
 */
public final class ReleaseSchemas {

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/main/resources/" + SchemaHistory.RESOURCE_ROOT);
        boolean failed = false;
        for (Schema current : TopicSchemas.current()) {
            List<Schema> released = SchemaHistory.releasedVersions(current.getName(), root);
            if (!released.isEmpty() && sameCanonicalForm(released.get(released.size() - 1), current)) {
                System.out.println(current.getName() + ": unchanged (v" + released.size() + ")");
                continue;
            }
            List<String> problems = SchemaEvolutionGate.violations(current, released);
            if (!problems.isEmpty()) {
                problems.forEach(System.err::println);
                failed = true;
                continue;
            }
            Path file = root.resolve(current.getName()).resolve("v" + (released.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
            System.out.println(current.getName() + ": released as " + file);
        }
        if (failed) {
            System.exit(1);
        }
    }

    static boolean sameCanonicalForm(Schema a, Schema b) {
        return SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b);
    }

    private ReleaseSchemas() {
    }
}
