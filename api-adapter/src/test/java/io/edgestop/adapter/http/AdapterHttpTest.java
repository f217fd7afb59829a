package io.edgestop.adapter.http;

import static io.edgestop.adapter.TestSupport.get;
import static io.edgestop.adapter.TestSupport.raw;
import static io.edgestop.adapter.TestSupport.signedQuery;
import static io.edgestop.adapter.TestSupport.v1Params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.TestSupport;
import io.edgestop.adapter.TestSupport.Answer;

/**
 * The HTTP protocol surface with Kafka unreachable: everything decided before Kafka (parsing,
 * authentication, MissingParameter, local nonce replay) is answered at once, in Alibaba's shape, and
 * the adapter keeps serving after any amount of bad input.
 */
class AdapterHttpTest {

    static ApiAdapter adapter;
    static URI base;
    static final ListAppender<ILoggingEvent> ACCESS = new ListAppender<>();

    @BeforeAll
    static void start() {
        Logger access = (Logger) LoggerFactory.getLogger("io.edgestop.adapter.access");
        ACCESS.start();
        access.addAppender(ACCESS);
        adapter = ApiAdapter.start(AdapterConfig.fromMap(Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "http.host", "127.0.0.1",
                "max.body.bytes", "4096",
                "admin.port", "0",
                "kafka.reconnect.backoff.ms", "5000",
                "kafka.reconnect.backoff.max.ms", "10000")), TestSupport.credentials());
        base = adapter.baseUrl();
    }

    @AfterAll
    static void stop() {
        adapter.close();
    }

    static void assertAlibabaError(Answer a, int status, String code) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        JsonNode n = a.json();
        assertEquals(code, n.get("Code").asText(), a.body());
        for (String f : List.of("RequestId", "HostId", "Message", "Recommend")) {
            assertNotNull(n.get(f), f + " in " + a.body());
        }
        assertFalse(a.body().contains("Exception"), a.body());
    }

    @Test
    void operationsEndpoints() {
        assertEquals(200, get(base, "/healthz").status());
        assertEquals(503, get(base, "/readyz").status());
        assertFalse(adapter.ready());
        get(base, "/?Action=StopEdgeTranscodeJob");
        // the metrics are not for the API's callers: on the API port /metrics is no action
        assertAlibabaError(get(base, "/metrics"), 404, "InvalidAction.NotFound");
        URI admin = adapter.adminUrl();
        assertEquals(200, get(admin, "/healthz").status());
        assertEquals(503, get(admin, "/readyz").status());
        assertEquals(404, get(admin, "/?Action=StopEdgeTranscodeJob").status(), "no API action on the admin port");
        Answer m = get(admin, "/metrics");
        assertEquals(200, m.status());
        assertTrue(m.body().contains("edgestop_adapter_requests_total{action=\"StopEdgeTranscodeJob\",code=\"MissingParameter\",status=\"400\"}"), m.body());
        assertTrue(m.body().contains("edgestop_adapter_request_duration_seconds_bucket"), m.body());
        assertTrue(m.body().contains("edgestop_adapter_inflight_requests"), m.body());
        assertTrue(m.body().contains("edgestop_adapter_late_replies_total"), m.body());
        assertTrue(m.body().contains("edgestop_adapter_ready 0"), m.body());
    }

    @Test
    void actionAndVersion() {
        assertAlibabaError(get(base, "/"), 400, "MissingParameter");
        assertAlibabaError(get(base, "/?Action=DescribeLiveStreams&Version=2016-11-01"), 404, "InvalidAction.NotFound");
        assertAlibabaError(get(base, "/?Action=StopEdgeTranscodeJob"), 400, "MissingParameter");
        Answer v = get(base, "/?Action=StopEdgeTranscodeJob&Version=2014-01-01");
        assertAlibabaError(v, 400, "InvalidVersion");
        assertAlibabaError(get(base, "/some/where"), 404, "InvalidAction.NotFound");
    }

    @Test
    void unsignedRequestsAndXmlFormat() throws Exception {
        assertAlibabaError(get(base, "/?Action=StopEdgeTranscodeJob&Version=2016-11-01&ClusterId=c&JobId=j"), 400,
                "IncompleteSignature");
        // Format=XML (any case): Alibaba's <Error> document with its exact XML content type
        for (String format : List.of("XML", "xml")) {
            Answer x = get(base, "/?Action=StopEdgeTranscodeJob&Version=2016-11-01&Format=" + format);
            assertEquals(400, x.status(), x.body());
            assertEquals("text/xml;charset=utf-8", x.contentType());
            assertTrue(x.body().matches("<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?><Error><RequestId>[0-9A-F-]{36}</RequestId>"
                    + "<HostId>[^<]+</HostId><Code>IncompleteSignature</Code><Message>[^<]+</Message>"
                    + "<Recommend>[^<]+</Recommend></Error>"), x.body());
        }
        Map<String, String> p = v1Params("c", null, null);
        p.put("Format", "XML");
        Answer missing = get(base, "/?" + signedQuery("GET", p));
        assertEquals(400, missing.status(), missing.body());
        assertEquals("text/xml;charset=utf-8", missing.contentType());
        assertTrue(missing.body().contains("<Code>MissingParameter</Code><Message>The input parameter &quot;JobId&quot;"),
                missing.body());
        // and the 503s that are safe to retry say when (a fixed hint: nothing predicts when Kafka is back)
        HttpResponse<String> unavailable = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(base.resolve("/?"
                + signedQuery("GET", v1Params("c", "j", null)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertEquals("application/json;charset=utf-8", unavailable.headers().firstValue("content-type").orElseThrow());
        assertEquals("1000", unavailable.headers().firstValue("x-acs-retry-after").orElseThrow());
    }

    @Test
    void missingParameterIsAnsweredAtOnceWithoutKafka() {
        for (String missing : List.of("ClusterId", "JobId")) {
            Map<String, String> p = v1Params("cluster-1", "job-1", null);
            p.remove(missing);
            long t0 = System.nanoTime();
            Answer a = get(base, "/?" + signedQuery("GET", p));
            assertAlibabaError(a, 400, "MissingParameter");
            assertTrue(a.json().get("Message").asText().contains("\"" + missing + "\""), a.body());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        }
        Map<String, String> empty = v1Params("", "job-1", null);
        assertAlibabaError(get(base, "/?" + signedQuery("GET", empty)), 400, "MissingParameter");
    }

    @Test
    void signatureErrorsOverHttp() {
        Map<String, String> p = v1Params("c", "j", null);
        String q = signedQuery("GET", p);
        Answer a = get(base, "/?" + q.replace("JobId=j", "JobId=k"));
        assertAlibabaError(a, 400, "SignatureDoesNotMatch");
        assertTrue(a.json().get("Message").asText().contains("server string to sign is:GET&%2F&AccessKeyId%3D"), a.body());
        Map<String, String> unknown = v1Params("c", "j", null);
        unknown.put("AccessKeyId", "nobody");
        assertAlibabaError(get(base, "/?" + signedQuery("GET", unknown)), 404, "InvalidAccessKeyId.NotFound");
        Map<String, String> old = v1Params("c", "j", null);
        old.put("Timestamp", "2020-01-01T00:00:00Z");
        assertAlibabaError(get(base, "/?" + signedQuery("GET", old)), 400, "InvalidTimeStamp.Expired");
    }

    @Test
    void signedPostWithFormBody() {
        Map<String, String> p = v1Params("c", null, null);
        String all = signedQuery("POST", p);
        Answer a = TestSupport.send(HttpRequest.newBuilder(base.resolve("/?Action=StopEdgeTranscodeJob"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(all.replace("Action=StopEdgeTranscodeJob&", ""))).build());
        // verified, then MissingParameter JobId: proves POST query + form body parsing and V1 over POST
        assertAlibabaError(a, 400, "MissingParameter");
    }

    @Test
    void repeatedNonceIsRejectedLocally() {
        String nonce = UUID.randomUUID().toString();
        Answer first = get(base, "/?" + signedQuery("GET", v1Params("c", "j", nonce)));
        assertAlibabaError(first, 503, "ServiceUnavailable"); // verified, nonce recorded, Kafka not ready
        Answer again = get(base, "/?" + signedQuery("GET", v1Params("c", "j", nonce)));
        assertAlibabaError(again, 400, "SignatureNonceUsed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/?a=%zz", "/?Action=%E4%BD", "/?Action=StopEdgeTranscodeJob&Action=StopEdgeTranscodeJob",
            "/?=&&&=%", "/?JobId=%", "/?%C0%AF=1"})
    void garbageQueryStrings(String target) {
        Answer a = raw(adapter.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertAlibabaError(a, 400, "InvalidParameter");
    }

    @Test
    void brokenHttpIsAnsweredInAlibabaShape() {
        Answer a = raw(adapter.port(), "GET /?a=b c HTTP/1.1 junk\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(400, a.status());
        assertTrue(a.body().contains("\"Code\""), a.body());
        Answer longUri = raw(adapter.port(), "GET /?a=" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(longUri.status() == 414 || longUri.status() == 431 || longUri.status() == 400, "" + longUri.status());
        assertTrue(longUri.body().contains("\"Code\""), longUri.body());
    }

    @Test
    void hugeBodies() {
        byte[] big = ("JobId=" + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        Answer declared = TestSupport.send(HttpRequest.newBuilder(base.resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertAlibabaError(declared, 413, "EntityTooLarge");
        StringBuilder chunked = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 10; i++) {
            chunked.append("400\r\n").append("y".repeat(1024)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertAlibabaError(raw(adapter.port(), chunked.toString()), 413, "EntityTooLarge");
    }

    @Test
    void wrongContentTypesAndMethods() {
        Answer json = TestSupport.send(HttpRequest.newBuilder(base.resolve("/?Action=StopEdgeTranscodeJob"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"JobId\":\"j\"}")).build());
        assertAlibabaError(json, 415, "UnsupportedMediaType");
        Answer put = TestSupport.send(HttpRequest.newBuilder(base.resolve("/"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertAlibabaError(put, 405, "UnsupportedHTTPMethod");
    }

    @Test
    void keepsServingAfterBadInputAndLogsNoSecrets() throws Exception {
        garbageQueryStrings("/?a=%zz");
        hugeBodies();
        brokenHttpIsAnsweredInAlibabaShape();
        assertEquals(200, get(base, "/healthz").status());
        Map<String, String> p = v1Params("c", null, null);
        assertAlibabaError(get(base, "/?" + signedQuery("GET", p)), 400, "MissingParameter");
        String log = ACCESS.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
        assertTrue(log.contains("\"accessKeyId\":\"" + TestSupport.KEY_ID + "\""), log);
        assertFalse(log.contains(TestSupport.SECRET), "secret in access log");
        assertFalse(log.contains("Signature"), "signature in access log");
        for (String line : log.split("\n")) {
            assertTrue(line.startsWith("{\"requestId\":\""), line);
            assertEquals(line, TestSupport.JSON.readTree(line).toString(), "one JSON object per line");
        }
    }

    /** The access log names each request's trace: the caller's when its traceparent is valid, else a new one. */
    @Test
    void theAccessLogNamesTheTraceOfTheRequest() throws Exception {
        String given = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertEquals(given, traceIdLogged("00-" + given + "-00f067aa0ba902b7-01"));
        String made = traceIdLogged(null);
        assertTrue(made.matches("[0-9a-f]{32}") && !made.equals("0".repeat(32)), made);
        String instead = traceIdLogged("00-" + given + "-zz");
        assertTrue(instead.matches("[0-9a-f]{32}") && !instead.equals(given) && !instead.equals(made), instead);
    }

    private static String traceIdLogged(String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/?" + signedQuery("GET", v1Params("c", null, null))));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        Answer a = TestSupport.send(request.build());
        assertAlibabaError(a, 400, "MissingParameter");
        String requestId = a.json().get("RequestId").asText();
        for (ILoggingEvent e : ACCESS.list) {
            JsonNode line = TestSupport.JSON.readTree(e.getFormattedMessage());
            if (line.path("requestId").asText().equals(requestId)) {
                return line.path("traceId").asText();
            }
        }
        throw new AssertionError("no access log line for " + requestId);
    }
}
