package io.edgestop.api.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * The job queries on the wire: the records' own JSON (their component names, times as ISO-8601 instants, a
 * null left out), versioned by the media type. A reader ignores the fields it does not know, so either side
 * may add fields in a newer release without a new version; a change an older side would misread is a new
 * media type.
 */
public final class JobQueryJson {

    /** The endpoint's path on every orchestrator's {@code query.port}. */
    public static final String PATH = "/jobs";
    /** The Content-Type of the queries and their answers, and their version. */
    public static final String MEDIA_TYPE = "application/vnd.edgestop.job-query.v1+json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new JsonDeserializer<Instant>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }));

    private JobQueryJson() {
    }

    /** A query or an answer of this package in its wire form. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A query or an answer from its wire form; an IOException when it is not one (a missing required value too). */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /** Whether a Content-Type header names this version's media type (its parameters aside). */
    public static boolean isMediaType(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }
}
