package io.edgestop.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.api.trace.Span;

class TracingTest {

    @Test
    void byDefaultSpansGetIdsAndNothingIsExported() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = collector(received);
        try (Tracing tracing = Tracing.start("edge-stop-test", Map.of(
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort()))) {
            Span span = tracing.tracer().spanBuilder("stop").startSpan();
            span.end();
            assertTrue(span.getSpanContext().isValid(), "a trace is made without any exporter");
        } finally {
            collector.stop(0);
        }
        assertEquals(List.of(), received, "the endpoint alone turns nothing on");
    }

    @Test
    void theOtlpExporterSendsSpansWhenConfigured() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = collector(received);
        try (Tracing tracing = Tracing.start("edge-stop-test", Map.of(
                "otel.traces.exporter", "otlp",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "otel.bsp.schedule.delay", "50"))) {
            Span span = tracing.tracer().spanBuilder("stop").startSpan();
            span.end();
            await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
            assertTrue(received.get(0).startsWith("/v1/traces "), received.toString());
            assertTrue(received.get(0).contains("edge-stop-test"), "the service name travels with the span");
        } finally {
            collector.stop(0);
        }
    }

    /** An OTLP/HTTP collector that records the path and body of each export. */
    private static HttpServer collector(List<String> received) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(ex.getRequestURI().getPath() + " " + new String(body, StandardCharsets.ISO_8859_1));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        return server;
    }
}
