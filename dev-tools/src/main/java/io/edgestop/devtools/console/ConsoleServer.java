package io.edgestop.devtools.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.edgestop.ops.JdkHttpServers;

/**
 * The console's HTTP side, on the JDK's own server (as the admin endpoints): the page and its
 * script, {@code /api/overview}, {@code /api/search?q=}, {@code /api/story?requestId=} and the live
 * feed {@code /api/events} (server-sent events: an {@code overview} event whenever a record was read,
 * at most every 250 ms, and at least every second, so that rates and deadlines move on a quiet system
 * and no proxy closes an idle stream). Every path
 * needs the credential: HTTP Basic (any user name) or {@code Authorization: Bearer}; else 401, and
 * after too many wrong ones from one address 429 ({@link LoginThrottle}).
 */
final class ConsoleServer implements AutoCloseable {

    static final int MAX_LIVE_CLIENTS = 32;
    private static final long PUSH_INTERVAL_MS = 250;
    private static final long REFRESH_MS = 1_000;
    private static final String PAGE = "/io/edgestop/devtools/console/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    private final HttpServer server;
    private final ExecutorService requests;
    private final ScheduledExecutorService pusher;
    private final ConsoleState state;
    private final Supplier<JsonNode> overview;
    private final byte[] password;
    private final LoginThrottle logins = new LoginThrottle();
    private final List<HttpExchange> live = new CopyOnWriteArrayList<>();
    private final List<HttpExchange> joining = new CopyOnWriteArrayList<>();
    private long pushedVersion = -1;
    private long pushedAt;

    private ConsoleServer(HttpServer server, ConsoleState state, Supplier<JsonNode> overview, String password) {
        this.server = server;
        this.state = state;
        this.overview = overview;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        this.requests = Executors.newFixedThreadPool(4, daemon("console-http"));
        this.pusher = Executors.newSingleThreadScheduledExecutor(daemon("console-live"));
    }

    static ConsoleServer start(String host, int port, ConsoleState state, Supplier<JsonNode> overview, String password)
            throws IOException {
        ConsoleServer s = new ConsoleServer(JdkHttpServers.bind(host, port), state, overview,
                password);
        s.server.createContext("/", s::handle);
        s.server.setExecutor(s.requests);
        s.server.start();
        s.pusher.scheduleWithFixedDelay(s::push, PUSH_INTERVAL_MS, PUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
        return s;
    }

    URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            String client = ex.getRemoteAddress().getAddress().getHostAddress();
            long now = System.currentTimeMillis();
            String credential = ex.getRequestHeaders().getFirst("Authorization");
            if (credential != null && !logins.allowed(client, now)) {
                ex.getResponseHeaders().set("Retry-After", Long.toString(logins.retryAfterSeconds(client, now)));
                send(ex, 429, "text/plain; charset=utf-8", "Too many failed logins from this address; retry later.\n");
                return;
            }
            if (!authorized(credential)) {
                if (credential != null) { // a browser's first request carries none: only a wrong credential counts
                    logins.failed(client, now);
                }
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"edge-stop console\", charset=\"UTF-8\"");
                send(ex, 401, "text/plain; charset=utf-8", "The console needs its credential.\n");
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                send(ex, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            switch (path) {
                case "/api/events" -> {
                    subscribe(ex);
                    return; // the stream stays open: the pusher writes to it
                }
                case "/api/overview" -> json(ex, 200, overview.get());
                case "/api/search" -> {
                    String q = query.getOrDefault("q", "").trim();
                    if (q.isEmpty()) {
                        send(ex, 400, "text/plain; charset=utf-8", "q: a RequestId, JobId or AccessKeyId\n");
                    } else {
                        json(ex, 200, state.search(q));
                    }
                }
                case "/api/story" -> {
                    JsonNode story = state.storyOf(query.getOrDefault("requestId", ""));
                    if (story == null) {
                        send(ex, 404, "text/plain; charset=utf-8", "no such request in the index\n");
                    } else {
                        json(ex, 200, story);
                    }
                }
                default -> {
                    String file = FILES.get(path);
                    if (file == null) {
                        send(ex, 404, "text/plain; charset=utf-8", "not found\n");
                    } else {
                        send(ex, 200, contentType(file), resource(file));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            ex.close();
            throw e;
        }
    }

    /** Basic (the password, any user name) or Bearer; compared in constant time. */
    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        byte[] given;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            given = (colon < 0 ? "" : decoded.substring(colon + 1)).getBytes(StandardCharsets.UTF_8);
        } else {
            return false;
        }
        return MessageDigest.isEqual(given, password);
    }

    private void subscribe(HttpExchange ex) throws IOException {
        if (live.size() + joining.size() >= MAX_LIVE_CLIENTS) {
            send(ex, 503, "text/plain; charset=utf-8", "too many live clients (" + MAX_LIVE_CLIENTS + ")\n");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        joining.add(ex);
    }

    /** The pusher's tick: the overview to new clients, and to all when something was read or a second passed. */
    private void push() {
        try {
            long version = state.version();
            long now = System.nanoTime();
            boolean due = version != pushedVersion || now - pushedAt >= TimeUnit.MILLISECONDS.toNanos(REFRESH_MS);
            if (!due && joining.isEmpty()) {
                return;
            }
            byte[] event = ("event: overview\ndata: " + overview.get() + "\n\n").getBytes(StandardCharsets.UTF_8);
            List<HttpExchange> newcomers = List.copyOf(joining);
            joining.removeAll(newcomers);
            if (due) {
                for (HttpExchange ex : live) {
                    if (!write(ex, event)) {
                        live.remove(ex);
                    }
                }
                pushedVersion = version;
                pushedAt = now;
            }
            for (HttpExchange ex : newcomers) {
                if (write(ex, event)) {
                    live.add(ex);
                }
            }
        } catch (RuntimeException e) {
            // never let one bad tick end the schedule
        }
    }

    private static boolean write(HttpExchange ex, byte[] bytes) {
        try {
            OutputStream out = ex.getResponseBody();
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            ex.close(); // the page went away
            return false;
        }
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new java.util.HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            m.putIfAbsent(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String contentType(String file) {
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    }

    private static byte[] resource(String file) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(PAGE + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PAGE + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        live.forEach(HttpExchange::close);
        joining.forEach(HttpExchange::close);
        server.stop(0);
        requests.shutdownNow();
    }
}
