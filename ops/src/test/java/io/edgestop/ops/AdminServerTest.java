package io.edgestop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class AdminServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesHealthReadinessAsToldAndTheRegistry() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("edgestop.test.things").increment(3);
        AtomicBoolean ready = new AtomicBoolean();
        try (AdminServer admin = AdminServer.start("127.0.0.1", 0, registry, ready::get)) {
            assertEquals(200, get(admin, "/healthz").statusCode());
            assertEquals(503, get(admin, "/readyz").statusCode(), "not ready yet");
            ready.set(true);
            assertEquals(200, get(admin, "/readyz").statusCode());
            HttpResponse<String> metrics = get(admin, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(metrics.body().contains("edgestop_test_things_total 3.0"), metrics.body());
            assertEquals(404, get(admin, "/metricsx").statusCode(), "contexts match by prefix; only the exact paths");
            assertEquals(404, get(admin, "/").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(url(admin, "/readyz"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    private HttpResponse<String> get(AdminServer admin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(admin, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(AdminServer admin, String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }
}
