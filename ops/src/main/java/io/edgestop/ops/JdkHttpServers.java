package io.edgestop.ops;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * Makes the JDK's HTTP servers of edge-stop (the admin endpoints, the orchestrator's job queries).
 * The JDK's server writes a response's headers and body apart and leaves Nagle's algorithm on
 * unless {@code sun.net.httpserver.nodelay} is set: the body then waits for the client's delayed
 * ACK, about 40 ms an answer (measured on the job queries: 50 ms p50 against 1-3 ms with it). Nor
 * does it bound the time a request may take to arrive ({@link #REQUEST_READ_SECONDS}). The
 * properties are read once, when the JVM's first such server is made, so every one is made here.
 */
public final class JdkHttpServers {

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    /**
     * How long a client may take to send a whole request (line, headers and body) before the
     * connection is closed: without it a client that sends a byte now and then holds one of the
     * server's few threads for ever. Our callers (Prometheus, the adapters, a browser) send at once.
     */
    public static final int REQUEST_READ_SECONDS = 10;

    private JdkHttpServers() {
    }

    /** A server bound to {@code host:port} (0: any free port), not started, with TCP_NODELAY and the read timeout unless the JVM says otherwise. */
    public static HttpServer bind(String host, int port) throws IOException {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        if (System.getProperty(MAX_REQUEST_TIME) == null) {
            System.setProperty(MAX_REQUEST_TIME, Integer.toString(REQUEST_READ_SECONDS));
        }
        return HttpServer.create(new InetSocketAddress(host, port), 0);
    }
}
