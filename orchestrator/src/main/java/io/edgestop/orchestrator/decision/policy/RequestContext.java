package io.edgestop.orchestrator.decision.policy;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a RAM policy is evaluated against: the action, the resource ARN and the condition keys.
 * {@code acs:CurrentTime} is the command's event time, never the wall clock.
 */
public record RequestContext(String action, String resource, String sourceIp, boolean secureTransport,
                             long currentTimeMs, Map<String, String> otherKeys) {

    public static final String SOURCE_IP = "acs:SourceIp";
    public static final String SECURE_TRANSPORT = "acs:SecureTransport";
    public static final String CURRENT_TIME = "acs:CurrentTime";

    public RequestContext {
        TreeMap<String, String> keys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (otherKeys != null) {
            keys.putAll(otherKeys);
        }
        otherKeys = keys;
    }

    public RequestContext(String action, String resource, String sourceIp, boolean secureTransport, long currentTimeMs) {
        this(action, resource, sourceIp, secureTransport, currentTimeMs, Map.of());
    }

    /** The value of a condition key as a string, or null when the request has no such key. */
    public String value(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        switch (k) {
            case "acs:sourceip":
                return sourceIp;
            case "acs:securetransport":
                return Boolean.toString(secureTransport);
            case "acs:currenttime":
                return Instant.ofEpochMilli(currentTimeMs).toString();
            default:
                return otherKeys.get(key);
        }
    }
}
