package io.edgestop.adapter.request;

import java.util.Map;

/** The parameters of one request: query, body, and both merged. */
public record Params(Map<String, String> query, Map<String, String> body, Map<String, String> all) {
    public String get(String name) {
        return all.get(name);
    }
}
