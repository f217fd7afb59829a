package io.edgestop.orchestrator.decision.policy;

import java.util.List;

/**
 * Result of a permission check. {@code description} names what decided it: "Deny by P#i",
 * "Allow by P#i", "root principal" or "no statement allowed"; {@code notes} lists policies that
 * were ignored because their JSON is invalid.
 */
public record Verdict(boolean allowed, String description, List<String> notes) {

    public Verdict {
        notes = List.copyOf(notes);
    }

    /** The description followed by the notes, as written to the audit record. */
    public String auditText() {
        if (notes.isEmpty()) {
            return description;
        }
        return description + "; " + String.join("; ", notes);
    }
}
