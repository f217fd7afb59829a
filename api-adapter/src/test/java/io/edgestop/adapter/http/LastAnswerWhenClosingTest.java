package io.edgestop.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** Two calls on one keep-alive connection: the answer written once closing has begun asks the caller to drop it. */
class LastAnswerWhenClosingTest {

    @Test
    void theAnswerWrittenAfterClosingBeganSaysConnectionClose() throws Exception {
        AtomicBoolean closing = new AtomicBoolean();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new LastAnswerWhenClosing(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // the request came in before closing began; its answer is written after
                closing.set(request.getHttpURI().getPath().equals("/second"));
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        }, closing::get));
        server.start();
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            String first = call(s, "/first");
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertFalse(first.toLowerCase(Locale.ROOT).contains("connection: close"), first);
            String second = call(s, "/second");
            assertTrue(second.startsWith("HTTP/1.1 200"), second);
            assertTrue(second.toLowerCase(Locale.ROOT).contains("connection: close"), second);
            assertEquals(-1, s.getInputStream().read(), "the server closes the connection after that answer");
        } finally {
            server.stop();
        }
    }

    /** Sends a keep-alive GET and reads one answer with a 2-byte body. */
    private static String call(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (!buf.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\nok")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + buf.toString(StandardCharsets.US_ASCII));
            }
            buf.write(b);
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }
}
