package io.edgestop.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the open-loop generator: GET requests, prepared as bytes, over persistent HTTP/1.1
 * connections, one blocking caller thread per connection. A call is handed to an idle caller; when none
 * is idle a new one (a new connection) starts, up to {@code maxCallers}; beyond that the call waits in
 * the queue and is late, which its latency (timed from its due time) shows.
 *
 * <p>Why not the JDK HttpClient: on this machine it cost about 700 us of CPU per call (its selector
 * thread, executor hand-offs and futures) on the core the adapter and the broker share, so the
 * generator, not the adapter, set the HTTP row's figure (docs/benchmarks.md). A blocking caller costs a
 * write, a read and a hand-off per call.
 */
final class KeepAliveCallers implements AutoCloseable {

    /** What a finished call reports: the HTTP status, or -1 with the transport failure. */
    interface Answer {
        void answered(Call call, int status, IOException failure);
    }

    /** One call: the request's bytes and the time it was due on the schedule (System.nanoTime). */
    record Call(byte[] request, long due) {
    }

    private static final Call STOP = new Call(new byte[0], 0);
    private static final int READ_TIMEOUT_MS = 30_000;

    private final InetSocketAddress server;
    private final int maxCallers;
    private final Answer answer;
    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger callers = new AtomicInteger();

    KeepAliveCallers(URI endpoint, int maxCallers, Answer answer) {
        this.server = new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
        this.maxCallers = maxCallers;
        this.answer = answer;
    }

    /** The request line and headers of a GET of {@code url} (path and query as signed, no body). */
    static byte[] get(URI url) {
        return ("GET " + url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()) + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Hands the call to an idle caller, or to a new one when none is idle and the limit allows. */
    void send(Call call) {
        if (calls.size() >= idle.get() && callers.get() < maxCallers) {
            callers.incrementAndGet();
            Thread t = new Thread(null, this::serve, "bench-http-caller-" + callers.get(), 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
        calls.add(call);
    }

    private void serve() {
        Socket socket = null;
        InputStream in = null;
        try {
            while (true) {
                idle.incrementAndGet();
                Call call;
                try {
                    call = calls.take();
                } finally {
                    idle.decrementAndGet();
                }
                if (call == STOP) {
                    return;
                }
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(READ_TIMEOUT_MS);
                        socket.connect(server, READ_TIMEOUT_MS);
                        in = new BufferedInputStream(socket.getInputStream(), 4096);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(call.request());
                    out.flush();
                    Response response = Response.read(in);
                    if (response.close()) {
                        socket.close();
                        socket = null;
                    }
                    answer.answered(call, response.status(), null);
                } catch (IOException e) {
                    closeQuietly(socket);
                    socket = null;
                    answer.answered(call, -1, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that failed: nothing more to learn from it
            }
        }
    }

    /** Ends every caller once the calls before it are done, closing its connection. */
    @Override
    public void close() {
        for (int i = callers.get(); i > 0; i--) {
            calls.add(STOP);
        }
    }

    /**
     * The status of one HTTP/1.1 response, its body read and dropped (Content-Length or chunked), and whether
     * the server closes the connection after it. One request is in flight per connection, so the stream
     * holds nothing past the response.
     */
    record Response(int status, boolean close) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = 0;
            boolean chunked = false;
            boolean close = parts[0].equals("HTTP/1.0");
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    in.skipNBytes(size);
                    line(in); // the CRLF after the chunk
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else {
                in.skipNBytes(length);
            }
            return new Response(status, close);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed in a response");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
