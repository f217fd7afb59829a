package io.edgestop.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on localhost between one component and one broker listener, so the test can break
 * that component's path alone:
 * <ul>
 * <li>{@link #cut()}: every open connection is closed and new ones are accepted and closed at once
 *     (what a client sees when a firewall resets it), until {@link #restore()};</li>
 * <li>{@link #slow(Duration, long)}: every chunk is held back by the added latency, and all
 *     connections of this proxy share the given bandwidth, until {@link #restore()}.</li>
 * </ul>
 * Two threads per connection (one per direction), blocking I/O: the test has a few dozen connections.
 */
final class TcpProxy implements AutoCloseable {

    private final String name;
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile long latencyNanos;
    private volatile long bytesPerSecond;      // 0: unlimited
    private final AtomicLong nextFreeNanos = new AtomicLong(); // the shared bandwidth: when the link is free again
    private volatile boolean closed;

    TcpProxy(String name, int listenPort, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    void slow(Duration latency, long bytesPerSecond) {
        this.latencyNanos = latency.toNanos();
        this.bytesPerSecond = bytesPerSecond;
    }

    void restore() {
        cut = false;
        latencyNanos = 0;
        bytesPerSecond = 0;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                open.add(client);
                open.add(broker);
                pump(client, broker, "up");
                pump(broker, client, "down");
            } catch (IOException e) {
                closeQuietly(client); // broker down: the client sees the connection close, as if refused
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    delay(n);
                    if (cut) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed or cut
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-" + name + "-" + direction);
        t.setDaemon(true);
        t.start();
    }

    /** The slow link: the added latency, then this chunk's share of the bandwidth. */
    private void delay(int bytes) throws InterruptedException {
        long latency = latencyNanos;
        long bps = bytesPerSecond;
        long wait = latency;
        if (bps > 0) {
            long cost = bytes * 1_000_000_000L / bps;
            long now = System.nanoTime();
            long start = nextFreeNanos.getAndAccumulate(cost, (next, c) -> Math.max(next, now) + c);
            wait += Math.max(start, now) + cost - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cut();
    }

    @Override
    public String toString() {
        return "proxy " + name + " :" + port() + " -> :" + targetPort;
    }
}
