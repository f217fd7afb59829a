package io.edgestop.adapter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.auth.CredentialStore;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.adapter.auth.SignatureV1;

/** Shared test helpers: credentials, V1 signing with a chosen nonce, raw HTTP. */
public final class TestSupport {

    public static final String KEY_ID = "LTAI-test-key";
    public static final String SECRET = "test-secret-/+=*~ü";
    public static final String ACCOUNT = "1234567890123456";
    public static final String PRINCIPAL = "acs:ram::1234567890123456:user/ops";
    public static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestSupport() {
    }

    public static CredentialStore credentials() {
        return new InMemoryCredentialStore(List.of(new Credential(KEY_ID, SECRET, ACCOUNT, PRINCIPAL)));
    }

    public static Map<String, String> v1Params(String clusterId, String jobId, String nonce) {
        Map<String, String> p = new TreeMap<>();
        p.put("Action", "StopEdgeTranscodeJob");
        p.put("Version", "2016-11-01");
        p.put("Format", "JSON");
        p.put("AccessKeyId", KEY_ID);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", nonce == null ? UUID.randomUUID().toString() : nonce);
        p.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (clusterId != null) {
            p.put("ClusterId", clusterId);
        }
        if (jobId != null) {
            p.put("JobId", jobId);
        }
        return p;
    }

    /** Query string with all params plus a V1 Signature computed for {@code method}. */
    public static String signedQuery(String method, Map<String, String> params) {
        Map<String, String> all = new TreeMap<>(params);
        all.put("Signature", SignatureV1.sign(SECRET, SignatureV1.stringToSign(method, params)));
        StringBuilder sb = new StringBuilder();
        all.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(AcsEncoding.percentEncode(k)).append('=')
                .append(AcsEncoding.percentEncode(v)));
        return sb.toString();
    }

    public record Answer(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String code() {
            JsonNode c = json().get("Code");
            return c == null ? null : c.asText();
        }
    }

    public static Answer get(URI base, String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
    }

    public static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends raw bytes on a fresh connection and parses the status line and body (Connection: close). */
    public static Answer raw(int port, byte[] request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            try {
                while ((n = in.read(chunk)) >= 0) {
                    buf.write(chunk, 0, n);
                }
            } catch (IOException e) {
                // the server may reset after answering an oversized request
            }
            String text = buf.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            String body = text.substring(split + 4);
            String ct = "";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    ct = line.substring(13).trim();
                }
            }
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Answer(status, ct, body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static Answer raw(int port, String request) {
        return raw(port, request.getBytes(StandardCharsets.UTF_8));
    }

    /** One HTTP/1.1 connection kept open across calls, as a client's pool keeps it: which connection a call takes is known. */
    public static final class KeepAliveConnection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final int port;

        public KeepAliveConnection(int port) throws IOException {
            this.port = port;
            this.socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
        }

        /** A V1 StopEdgeTranscodeJob GET on this connection; the answer and whether it says Connection: close. */
        public KeptAnswer stop(String clusterId, String jobId) throws IOException {
            String request = "GET /?" + signedQuery("GET", v1Params(clusterId, jobId, null)) + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = line();
            if (status == null) {
                throw new IOException("the connection closed without an answer");
            }
            boolean closes = false;
            boolean chunked = false;
            int length = 0;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase();
                closes |= lower.equals("connection: close");
                chunked |= lower.equals("transfer-encoding: chunked");
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else {
                body.write(in.readNBytes(length));
            }
            return new KeptAnswer(Integer.parseInt(status.substring(9, 12)), closes, body.toString(StandardCharsets.UTF_8));
        }

        /** True once the server has closed its side (end of stream). */
        public boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    return sb.toString().stripTrailing();
                }
                sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    public record KeptAnswer(int status, boolean closesConnection, String body) {
    }

    private static String dechunk(String body) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            sb.append(body, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return sb.toString();
    }
}
