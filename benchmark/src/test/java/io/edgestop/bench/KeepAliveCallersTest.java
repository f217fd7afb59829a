package io.edgestop.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import io.edgestop.ops.JdkHttpServers;

/** The generator's HTTP/1.1 callers against the JDK HTTP server the adapter runs on: every body shape, reused connections. */
class KeepAliveCallersTest {

    @Test
    void answersEveryCallOverReusedConnectionsWhateverTheBodyShape() throws Exception {
        HttpServer server = JdkHttpServers.bind("127.0.0.1", 0);
        Set<Object> connections = ConcurrentHashMap.newKeySet();
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            connections.add(exchange.getRemoteAddress());
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = ("{\"q\":\"" + query + "\"}").getBytes(StandardCharsets.UTF_8);
            switch (query) {
                case "shape=empty" -> exchange.sendResponseHeaders(204, -1);
                case "shape=chunked" -> {
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write(body);
                }
                case "shape=close" -> {
                    exchange.getResponseHeaders().set("Connection", "close");
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                }
                default -> {
                    exchange.sendResponseHeaders(404, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
            exchange.close();
        });
        server.start();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong failures = new AtomicLong();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        String[] shapes = {"empty", "chunked", "close", "length"};
        int calls = 400;
        try (KeepAliveCallers callers = new KeepAliveCallers(base, 4, (call, status, failure) -> {
            if (failure != null) {
                failures.incrementAndGet();
            } else {
                statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
            }
        })) {
            for (int i = 0; i < calls; i++) {
                callers.send(new KeepAliveCallers.Call(KeepAliveCallers.get(base.resolve("/?shape=" + shapes[i % 4])), System.nanoTime()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    failures.get() + statuses.values().stream().mapToLong(AtomicLong::get).sum() == calls);
        } finally {
            server.stop(0);
        }
        assertEquals(0, failures.get());
        for (int status : new int[] {204, 200, 503, 404}) {
            assertEquals(calls / 4, statuses.get(status).get(), "status " + status + ": " + statuses);
        }
        // every "close" answer ends its connection (100 of them); the other 300 calls reuse connections
        assertTrue(connections.size() <= calls / 4 + 4 + 4, "connections opened: " + connections.size());
    }

    @Test
    void aResponseThatIsNotHttpIsAFailureNotAStatus() {
        var in = new java.io.ByteArrayInputStream("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> KeepAliveCallers.Response.read(in));
        assertTrue(e.getMessage().contains("not an HTTP/1.x status line"), e.getMessage());
    }
}
