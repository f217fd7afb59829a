package io.edgestop.devtools.audit;

import java.time.Instant;

/** The event times a command looks at: from (inclusive) to (inclusive); null ends are open. */
public record Window(Instant from, Instant to) {

    public static final Window ALL = new Window(null, null);

    public Window {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
    }

    public boolean contains(Instant t) {
        return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
    }

    @Override
    public String toString() {
        return (from == null ? "the beginning" : from.toString()) + " .. " + (to == null ? "the end" : to.toString());
    }
}
