package io.edgestop.schema.evolution;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.avro.Schema;

/**
 * Every released version of each top-level schema, kept in the repository under
 * {@code src/main/resources/io/edgestop/schema/history/<RecordName>/v<N>.avsc} (N = 1, 2, ...).
 * Each file is a standalone schema (named types inlined), exactly as it was released.
 */
public final class SchemaHistory {

    /** Classpath folder of the history. */
    public static final String RESOURCE_ROOT = "io/edgestop/schema/history/";

    private SchemaHistory() {
    }

    /** Released versions of the named record, oldest first; empty when never released. */
    public static List<Schema> releasedVersions(String recordName) {
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        return read(recordName, path -> loader.getResourceAsStream(RESOURCE_ROOT + path));
    }

    /** The same, read from a history folder on disk (the source tree, when releasing). */
    public static List<Schema> releasedVersions(String recordName, Path root) {
        return read(recordName, path -> {
            Path file = root.resolve(path);
            try {
                return Files.exists(file) ? Files.newInputStream(file) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static List<Schema> read(String recordName, Function<String, InputStream> open) {
        List<Schema> versions = new ArrayList<>();
        for (int n = 1; ; n++) {
            String path = recordName + "/v" + n + ".avsc";
            try (InputStream in = open.apply(path)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read released schema " + path, e);
            }
        }
    }
}
