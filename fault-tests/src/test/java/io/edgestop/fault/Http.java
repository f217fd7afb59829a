package io.edgestop.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.auth.SignatureV1;
import io.edgestop.adapter.client.StopJobClient;

/** HTTP helpers: answers parsed into Alibaba fields, and hand-made V1 signatures (to skew the clock). */
final class Http {

    static final String AK = "fault-ak-ok";
    static final String SECRET = "fault-secret-ok-0123456789";
    static final Credential OK_ROOT = new Credential(AK, SECRET, Scenario.OK, Scenario.root(Scenario.OK));

    private static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** One HTTP answer: status and the Alibaba body fields (null when absent); io is set when no answer came. */
    record Answer(int status, String requestId, String code, String jobId, String message, String body, Exception io) {

        static Answer of(int status, String body) {
            String requestId = null;
            String code = null;
            String jobId = null;
            String message = null;
            try {
                JsonNode n = JSON.readTree(body);
                requestId = text(n, "RequestId");
                code = text(n, "Code");
                jobId = text(n, "JobId");
                message = text(n, "Message");
            } catch (Exception e) {
                // not JSON: left null, the caller asserts on it
            }
            return new Answer(status, requestId, code, jobId, message, body, null);
        }

        static Answer failed(Exception e) {
            return new Answer(-1, null, null, null, null, null, e);
        }

        boolean refused() {
            Throwable t = io;
            while (t != null) {
                if (t instanceof ConnectException) {
                    return true;
                }
                t = t.getCause();
            }
            return false;
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    private Http() {
    }

    static Answer call(StopJobClient client, boolean v3, String clusterId, String jobId) {
        try {
            StopJobClient.HttpResult r = v3 ? client.stopV3(clusterId, jobId) : client.stopV1(clusterId, jobId);
            return Answer.of(r.status(), r.body());
        } catch (UncheckedIOException e) {
            return Answer.failed(e.getCause());
        } catch (RuntimeException e) {
            return Answer.failed(e);
        }
    }

    static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return Answer.of(r.statusCode(), r.body());
        } catch (IOException e) {
            return Answer.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes raw bytes to the server (for requests no HTTP client would send) and reads the answer to EOF. */
    static Answer raw(URI base, byte[] request) {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before reading everything (oversized requests): read its answer
            }
            String text = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return Answer.failed(new IOException("not an HTTP answer: " + text.substring(0, Math.min(80, text.length()))));
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int start = text.indexOf('{');
            int end = text.lastIndexOf('}');
            return Answer.of(status, start >= 0 && end > start ? text.substring(start, end + 1) : "");
        } catch (IOException e) {
            return Answer.failed(e);
        }
    }

    /** A POST with a form body of the given size: with Content-Length, or chunked. */
    static byte[] rawPost(int bodyBytes, boolean chunked) {
        byte[] body = ("Action=StopEdgeTranscodeJob&Junk=" + "x".repeat(bodyBytes)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
        out.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (chunked) {
            for (int i = 0; i < body.length; i += 8192) {
                int n = Math.min(8192, body.length - i);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(body, i, n);
                out.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    static Answer get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30)).build());
    }

    /** A V1-signed GET URL with a chosen Timestamp and nonce, signed with the given secret. */
    static URI signedV1(URI base, String accessKeyId, String secret, Instant timestamp, String nonce, String clusterId,
                        String jobId) {
        Map<String, String> params = new TreeMap<>();
        params.put("Action", StopJobClient.ACTION);
        params.put("Version", StopJobClient.VERSION);
        params.put("Format", "JSON");
        params.put("AccessKeyId", accessKeyId);
        params.put("SignatureMethod", SignatureV1.SIGNATURE_METHOD);
        params.put("SignatureVersion", SignatureV1.SIGNATURE_VERSION);
        params.put("SignatureNonce", nonce == null ? UUID.randomUUID().toString() : nonce);
        params.put("Timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
        params.put("ClusterId", clusterId);
        params.put("JobId", jobId);
        String signature = SignatureV1.sign(secret, SignatureV1.stringToSign("GET", params));
        String b = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(b + "?" + SignatureV1.canonicalQuery(params) + "&Signature=" + AcsEncoding.percentEncode(signature));
    }
}
