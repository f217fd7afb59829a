package io.edgestop.adapter.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.api.ApiError;

/**
 * Alibaba-shaped response bodies: JSON, or XML when the request says {@code Format=XML}, for a success
 * and an error alike, as Alibaba answers. aliyun-java-sdk-core and the Darabonba runtimes' V3 path pick
 * the parser from the Content-Type; their V2 (HMAC-SHA1) path sends {@code Format=json} itself.
 */
public final class ResponseBodies {

    public static final String JSON = "application/json;charset=utf-8";
    /** Byte for byte what Alibaba sends: the Darabonba runtimes compare the Content-Type with it to detect XML. */
    public static final String XML = "text/xml;charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponseBodies() {
    }

    public static String contentType(boolean xml) {
        return xml ? XML : JSON;
    }

    /**
     * An action's success: {@code RequestId}, then its fields; as XML the root is {@code <Action>Response}.
     * Values are strings, numbers, nested maps, or lists: a list under a name is that many elements of
     * the name in XML ({@code "JobList":{"Job":[a,b]}} is {@code <JobList><Job>a</Job><Job>b</Job></JobList>},
     * Alibaba's list shape) and an array in JSON.
     */
    public static String success(String action, String requestId, Map<String, ?> fields, boolean xml) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("RequestId", requestId);
        m.putAll(fields);
        if (!xml) {
            return json(m);
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        element(sb, action + "Response", m);
        return sb.toString();
    }

    /** An error: {@code RequestId, HostId, Code, Message, Recommend}; as XML the root is {@code <Error>}. */
    public static String error(String requestId, String hostId, String code, String message, boolean xml) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("RequestId", requestId);
        m.put("HostId", hostId);
        m.put("Code", code);
        m.put("Message", message == null ? code : message);
        m.put("Recommend", ApiError.recommendationFor(code));
        if (!xml) {
            return json(m);
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        element(sb, "Error", m);
        return sb.toString();
    }

    static String json(Map<String, ?> m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void element(StringBuilder sb, String name, Object value) {
        if (value instanceof List<?> items) {
            items.forEach(item -> element(sb, name, item));
            return;
        }
        sb.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> fields) {
            fields.forEach((k, v) -> element(sb, String.valueOf(k), v));
        } else {
            sb.append(escape(value == null ? null : String.valueOf(value)));
        }
        sb.append("</").append(name).append('>');
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append("&#xFFFD;");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
