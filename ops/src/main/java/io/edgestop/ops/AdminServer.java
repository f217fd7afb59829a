package io.edgestop.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The admin endpoint of a component that has no HTTP server of its own (the orchestrator, the edge
 * worker): {@code /metrics} (Prometheus text), {@code /healthz} (200 while the process serves) and
 * {@code /readyz} (200 only when {@code ready} says the component can do its work, else 503), the
 * same paths and answers as the adapter's. The JDK's own server: three GETs scraped every few
 * seconds need no framework.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final int port;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.port = server.getAddress().getPort();
    }

    /** Serves on {@code host:port} (port 0: any free port, see {@link #port()}) at once. */
    public static AdminServer start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        HttpServer server = JdkHttpServers.bind(host, port);
        server.createContext("/healthz", ex -> answer(ex, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext("/readyz", ex -> {
            boolean isReady = ready.getAsBoolean();
            answer(ex, isReady ? 200 : 503, "text/plain; charset=utf-8", isReady ? "ready\n" : "not ready\n");
        });
        server.createContext("/metrics", ex -> answer(ex, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new AdminServer(server, executor);
    }

    private static void answer(HttpExchange ex, int status, String contentType, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
                ex.sendResponseHeaders(404, -1); // contexts match by prefix; only the exact paths exist
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** The port served (the one chosen when started with 0). */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
