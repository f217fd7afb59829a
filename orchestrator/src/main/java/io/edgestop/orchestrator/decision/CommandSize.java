package io.edgestop.orchestrator.decision;

import org.apache.avro.Schema;

import io.edgestop.schema.StopCommand;

/**
 * Step 1, bounded fields: a command whose text field is longer than {@value #MAX_FIELD_CHARS}
 * characters (the adapter's own bound on a parameter value) is rejected, and what is written about
 * it carries the fields cut to that bound. Every output copies command fields (the audit record the
 * whole command), so without the bound a command that fits {@code stop-commands} can give an output
 * larger than {@code max.request.size}; under exactly-once that failed send would abort the
 * transaction and the command would be processed again forever (docs/reliability.md).
 */
public final class CommandSize {

    public static final int MAX_FIELD_CHARS = 4096;

    private CommandSize() {
    }

    /** The API name of the first field over the bound, or null. */
    public static String firstTooLong(StopCommand c) {
        for (Schema.Field f : c.getSchema().getFields()) {
            if (c.get(f.pos()) instanceof CharSequence s && s.length() > MAX_FIELD_CHARS) {
                return Character.toUpperCase(f.name().charAt(0)) + f.name().substring(1);
            }
        }
        return null;
    }

    /** A copy with every text field cut to the bound. */
    public static StopCommand trimmed(StopCommand c) {
        StopCommand out = StopCommand.newBuilder(c).build();
        for (Schema.Field f : c.getSchema().getFields()) {
            if (c.get(f.pos()) instanceof CharSequence s && s.length() > MAX_FIELD_CHARS) {
                out.put(f.pos(), s.subSequence(0, MAX_FIELD_CHARS).toString());
            }
        }
        return out;
    }
}
