package io.edgestop.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * The OpenTelemetry SDK of a component that makes spans (the adapter's request, the edge worker's
 * stop). Configured by OpenTelemetry's own settings ({@code OTEL_*} environment variables or
 * {@code otel.*} system properties, see docs/operations.md, "Tracing"); by default it makes
 * trace and span ids but exports nothing: {@code OTEL_TRACES_EXPORTER=otlp} (OTLP over HTTP, to
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, default {@code http://localhost:4318}) turns exporting on. Metrics stay with Prometheus, logs with
 * the log files: the SDK exports neither.
 */
public final class Tracing implements AutoCloseable {

    /** Instrumentation scope of every edge-stop span. */
    public static final String SCOPE = "io.edgestop";

    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.traces.exporter", "none",
            // the bundled sender is the JDK's HTTP client, which speaks OTLP over HTTP, not gRPC
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    private static final SpanProcessor IDS_ONLY = new SpanProcessor() {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    };

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer(SCOPE);
    }

    /** The SDK of {@code serviceName} as the environment configures it. */
    public static Tracing start(String serviceName) {
        return start(serviceName, Map.of());
    }

    /**
     * The same with {@code settings} ({@code otel.*} keys) over the defaults; the environment and
     * system properties still win, as everywhere in OpenTelemetry.
     */
    public static Tracing start(String serviceName, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(DEFAULTS);
        properties.put("otel.service.name", serviceName);
        properties.putAll(settings);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                // without any span processor the SDK makes no ids: a request that brought no traceparent
                // would have no trace to follow in the logs and records when nothing is exported
                .addTracerProviderCustomizer((provider, config) -> provider.addSpanProcessor(IDS_ONLY))
                .disableShutdownHook() // closed with its component
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk);
    }

    public Tracer tracer() {
        return tracer;
    }

    /** Exports what is still buffered (when exporting) and stops. */
    @Override
    public void close() {
        sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
}
