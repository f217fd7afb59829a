package io.edgestop.schema.evolution;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The rule every schema change must pass: the new schema is both backward compatible (new
 * readers read every released version) and forward compatible (readers of every released
 * version read the new one) with every kept version. This lets producers and consumers of any
 * released version be upgraded in any order, and lets auditors replay the whole audit stream.
 */
public final class SchemaEvolutionGate {

    private SchemaEvolutionGate() {
    }

    /** Violations of the rule, one line each; empty when the change is allowed. */
    public static List<String> violations(Schema candidate, List<Schema> released) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            Schema old = released.get(i);
            String version = "v" + (i + 1);
            SchemaPairCompatibility backward = SchemaCompatibility.checkReaderWriterCompatibility(candidate, old);
            if (backward.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add(candidate.getName() + ": not backward compatible with " + version
                        + " (the new schema cannot read data written with it): " + describe(backward));
            }
            SchemaPairCompatibility forward = SchemaCompatibility.checkReaderWriterCompatibility(old, candidate);
            if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add(candidate.getName() + ": not forward compatible with " + version
                        + " (readers of it cannot read data written with the new schema): " + describe(forward));
            }
        }
        return problems;
    }

    private static String describe(SchemaPairCompatibility result) {
        List<String> parts = new ArrayList<>();
        result.getResult().getIncompatibilities().forEach(inc ->
                parts.add(inc.getType() + " at " + inc.getLocation() + (inc.getMessage() == null ? "" : " (" + inc.getMessage() + ")")));
        return String.join("; ", parts);
    }
}
