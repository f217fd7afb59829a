package io.edgestop.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The W3C trace context of a stop on its records: a {@code traceparent} (and {@code tracestate})
 * header on the stop command, every result, audit record and directive the orchestrator emits for
 * it, and the worker's report. Read and written with OpenTelemetry's W3C propagator, which
 * validates what it reads: a malformed header counts as none.
 */
public final class TraceContext {

    /** The W3C header naming the trace and the parent span. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> KAFKA_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> KAFKA_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Function<String, String>> LOOKUP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> lookup) {
            return W3C.fields();
        }

        @Override
        public String get(Function<String, String> lookup, String key) {
            return lookup == null ? null : lookup.apply(key);
        }
    };

    private TraceContext() {
    }

    /** The trace context on a record's headers (the root context when there is none). */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** The trace context in headers found by name, e.g. an HTTP request's (the root context when there is none). */
    public static Context extract(Function<String, String> header) {
        return W3C.extract(Context.root(), header, LOOKUP_GETTER);
    }

    /** Writes the span of {@code context} on {@code headers}, replacing what was there; nothing when it has none. */
    public static Headers inject(Context context, Headers headers) {
        W3C.inject(context, headers, KAFKA_SETTER);
        return headers;
    }

    /** The {@code traceparent} on a record's headers, in W3C's form; null when there is none or it is malformed. */
    public static String traceparent(Headers headers) {
        return traceparent(extract(headers));
    }

    /** The {@code traceparent} naming the span of {@code context}; null when it has none. */
    public static String traceparent(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** New record headers carrying {@code traceparent} (none when it is null or malformed). */
    public static Headers headers(String traceparent) {
        Headers headers = new RecordHeaders();
        if (traceparent != null) {
            inject(extract(name -> TRACEPARENT.equals(name) ? traceparent : null), headers);
        }
        return headers;
    }

    /** The trace id of the span of {@code context}, for log lines; null when it has none. */
    public static String traceId(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }
}
