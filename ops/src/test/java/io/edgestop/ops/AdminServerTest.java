package io.edgestop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    /** A client that never finishes its request loses the connection, instead of holding a server thread for ever. */
    @Test
    void aRequestThatNeverFinishesArrivingIsCutOff() throws Exception {
        try (AdminServer admin = AdminServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
             Socket slow = new Socket("127.0.0.1", admin.port())) {
            slow.setSoTimeout((JdkHttpServers.REQUEST_READ_SECONDS + 20) * 1000);
            long t0 = System.nanoTime();
            slow.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertEquals(-1, slow.getInputStream().read(), "closed without an answer");
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertTrue(seconds >= JdkHttpServers.REQUEST_READ_SECONDS - 1, "not before the limit: " + seconds + " s");
            // the server still answers others
            assertEquals(200, get(admin, "/healthz").statusCode());
        }
    }

    private HttpResponse<String> get(AdminServer admin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(admin, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(AdminServer admin, String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }
}
