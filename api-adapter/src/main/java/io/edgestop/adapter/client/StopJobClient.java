package io.edgestop.adapter.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.SignatureV1;
import io.edgestop.adapter.auth.SignatureV3;
import io.edgestop.api.Api;

/**
 * A small signing client for StopEdgeTranscodeJob, for examples, the CLI and benchmarks. It signs
 * exactly like Alibaba's SDKs: V1 (HMAC-SHA1, all parameters in the query string of a GET) or V3
 * (ACS3-HMAC-SHA256 Authorization header on a POST with the API parameters in the query string).
 * Thread-safe; every call uses a fresh SignatureNonce.
 */
public final class StopJobClient {

    public static final String ACTION = Api.ACTION;
    public static final String VERSION = Api.VERSION;

    /** Status code and body of one HTTP answer. */
    public record HttpResult(int status, String body) {
    }

    private final URI endpoint;
    private final String accessKeyId;
    private final String accessKeySecret;
    private volatile HttpClient http; // made on first send: signing alone (benchmarks, printed examples) needs none

    public StopJobClient(URI endpoint, String accessKeyId, String accessKeySecret) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.accessKeySecret = Objects.requireNonNull(accessKeySecret, "accessKeySecret");
    }

    /** A GET URL carrying every common parameter and a V1 Signature; valid for 15 minutes, once. */
    public URI signedV1Url(String clusterId, String jobId) {
        return signedV1Url(ACTION, clusterId, jobId);
    }

    /** {@link #signedV1Url(String, String)} for another action on one job ({@link Api#GET_ACTION}). */
    public URI signedV1Url(String action, String clusterId, String jobId) {
        Map<String, String> params = new TreeMap<>();
        params.put("Action", action);
        params.put("Version", VERSION);
        params.put("Format", "JSON");
        params.put("AccessKeyId", accessKeyId);
        params.put("SignatureMethod", SignatureV1.SIGNATURE_METHOD);
        params.put("SignatureVersion", SignatureV1.SIGNATURE_VERSION);
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (clusterId != null) {
            params.put("ClusterId", clusterId);
        }
        if (jobId != null) {
            params.put("JobId", jobId);
        }
        String signature = SignatureV1.sign(accessKeySecret, SignatureV1.stringToSign("GET", params));
        return URI.create(base() + "?" + SignatureV1.canonicalQuery(params) + "&Signature="
                + AcsEncoding.percentEncode(signature));
    }

    /** Sends a V1-signed GET. */
    public HttpResult stopV1(String clusterId, String jobId) {
        return send(HttpRequest.newBuilder(signedV1Url(clusterId, jobId)).GET()
                .header("Accept", "application/json").timeout(Duration.ofSeconds(60)).build());
    }

    /** Sends a V1-signed GetEdgeTranscodeJob: the job's state as the orchestrators know it. */
    public HttpResult getV1(String clusterId, String jobId) {
        return send(HttpRequest.newBuilder(signedV1Url(Api.GET_ACTION, clusterId, jobId)).GET()
                .header("Accept", "application/json").timeout(Duration.ofSeconds(60)).build());
    }

    /** Sends a V3-signed (ACS3-HMAC-SHA256) POST with an empty body. */
    public HttpResult stopV3(String clusterId, String jobId) {
        Map<String, String> query = new TreeMap<>();
        if (clusterId != null) {
            query.put("ClusterId", clusterId);
        }
        if (jobId != null) {
            query.put("JobId", jobId);
        }
        URI base = URI.create(base());
        Map<String, String> signedOnly = Map.of("host", base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-acs-action", ACTION);
        headers.put("x-acs-version", VERSION);
        headers.put("x-acs-date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        headers.put("x-acs-signature-nonce", UUID.randomUUID().toString());
        headers.put("x-acs-content-sha256", SignatureV3.EMPTY_BODY_SHA256);
        // host is signed as the HTTP client will send it, but the client sets that header itself
        Map<String, String> signedValues = new LinkedHashMap<>(headers);
        signedValues.putAll(signedOnly);
        List<String> signed = List.copyOf(signedValues.keySet());
        String canonical = SignatureV3.canonicalRequest("POST", query, signedValues, signed, SignatureV3.EMPTY_BODY_SHA256);
        String signature = SignatureV3.sign(accessKeySecret, SignatureV3.stringToSign(canonical));
        String authorization = SignatureV3.ALGORITHM + " Credential=" + accessKeyId + ",SignedHeaders="
                + SignatureV3.signedHeaderList(signed) + ",Signature=" + signature;
        String q = SignatureV3.canonicalQuery(query);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + (q.isEmpty() ? "" : "?" + q)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        return send(b.build());
    }

    private String base() {
        String s = endpoint.toString();
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        return s.endsWith("/") ? s : s + "/";
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10)).build();
                }
                client = http;
            }
        }
        return client;
    }

    private HttpResult send(HttpRequest request) {
        try {
            HttpResponse<String> r = http().send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpResult(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot call " + request.uri().getHost() + ":" + request.uri().getPort(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "StopJobClient[" + endpoint + ", accessKeyId=" + accessKeyId + "]";
    }
}
