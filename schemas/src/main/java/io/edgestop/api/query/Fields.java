package io.edgestop.api.query;

/** The checks of the records' required values: a query without them is not valid (InvalidParameter). */
final class Fields {

    private Fields() {
    }

    static <T> T required(T value, String name) {
        if (value == null || value instanceof String s && s.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }
}
