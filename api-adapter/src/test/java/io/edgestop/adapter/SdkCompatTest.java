package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobRequest;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobResponse;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.schema.StopCommand;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/**
 * Alibaba's official Java SDK against the adapter over a real broker, with the test playing the
 * orchestrator (the end-to-end test with the real orchestrator is OrchestratorSdkEndToEndTest).
 * Both signature versions; every error code surfaces in the SDK as that code.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkCompatTest {

    Topics topics;
    FakeOrchestrator orchestrator;
    ApiAdapter adapter;
    String hostPort;
    DefaultAcsClient sdk;

    @BeforeAll
    void setUp(KafkaBroker broker) {
        topics = new Topics(broker.uniquePrefix());
        broker.createTopic(topics.stopCommands(), 2);
        broker.createTopic(topics.stopResults(), 2);
        orchestrator = new FakeOrchestrator(broker.bootstrapServers(), topics, 2);
        adapter = ApiAdapter.start(AdapterConfig.fromMap(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic.prefix", topics.prefix(), "http.host", "127.0.0.1")), TestSupport.credentials());
        hostPort = "127.0.0.1:" + adapter.port();
        sdk = SdkCalls.client(TestSupport.KEY_ID, TestSupport.SECRET);
        await().atMost(Duration.ofSeconds(30)).until(adapter::ready);
    }

    @AfterAll
    void tearDown() {
        if (sdk != null) {
            sdk.shutdown();
        }
        if (adapter != null) {
            adapter.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void successThroughTheSdkResponseClass(boolean v3) throws Exception {
        String job = "ok-" + v3 + "-a b*c~/+=ü";
        StopEdgeTranscodeJobResponse r = SdkCalls.stop(sdk, hostPort, v3, "cluster 1", job);
        assertEquals(job, r.getJobId());
        assertTrue(r.getRequestId().matches("[0-9A-F-]{36}"), r.getRequestId());
        StopCommand cmd = orchestrator.commands.stream().map(c -> c.value())
                .filter(c -> c.getRequestId().equals(r.getRequestId())).findFirst().orElseThrow();
        assertEquals("cluster 1", cmd.getClusterId());
        assertEquals(job, cmd.getJobId());
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void everyErrorSurfacesAsItsCode(boolean v3) throws Exception {
        assertEquals("JobNotFound", SdkCalls.errorCode(sdk, hostPort, v3, "c", "missing-1"));
        assertEquals("Forbidden", SdkCalls.errorCode(sdk, hostPort, v3, "c", "forbidden-1"));
        assertEquals("OperationDenied", SdkCalls.errorCode(sdk, hostPort, v3, "c", "denied-1"));
        assertEquals("Throttling.User", SdkCalls.errorCode(sdk, hostPort, v3, "c", "throttle-1"));
        assertEquals("MissingParameter", SdkCalls.errorCode(sdk, hostPort, v3, "c", null));
        assertEquals("MissingParameter", SdkCalls.errorCode(sdk, hostPort, v3, null, "ok-x"));
        try (SdkCalls.TamperingProxy proxy = new SdkCalls.TamperingProxy(adapter.baseUrl(),
                q -> q.replace("JobId=ok", "JobId=tampered"))) {
            assertEquals("SignatureDoesNotMatch", SdkCalls.errorCode(sdk, proxy.hostPort(), v3, "c", "ok-2"));
        }
        DefaultAcsClient unknownKey = SdkCalls.client("nobody", "x");
        assertEquals("InvalidAccessKeyId.NotFound", SdkCalls.errorCode(unknownKey, hostPort, v3, "c", "ok-3"));
        unknownKey.shutdown();
        // a wrong secret: the SDK compares the server's string to sign with its own and, as they are
        // byte-identical, diagnoses the secret itself
        DefaultAcsClient wrongSecret = SdkCalls.client(TestSupport.KEY_ID, "not-the-secret");
        assertEquals("SDK.InvalidAccessKeySecret", SdkCalls.errorCode(wrongSecret, hostPort, v3, "c", "ok-4"));
        wrongSecret.shutdown();
    }

    /** Format=XML: a success and every error in XML ({@code <Error>}, text/xml;charset=utf-8), read by the SDK as its code. */
    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void xmlAcceptFormatGetsXmlErrorsTheSdkReads(boolean v3) throws Exception {
        StopEdgeTranscodeJobRequest ok = SdkCalls.request(hostPort, v3, "c", "ok-xml-" + v3);
        ok.setSysAcceptFormat(FormatType.XML);
        assertEquals("ok-xml-" + v3, sdk.getAcsResponse(ok).getJobId());
        StopEdgeTranscodeJobRequest missing = SdkCalls.request(hostPort, v3, "c", "missing-raw");
        missing.setSysAcceptFormat(FormatType.XML);
        com.aliyuncs.http.HttpResponse raw = sdk.doAction(missing);
        assertEquals(404, raw.getStatus());
        assertEquals(FormatType.XML, raw.getHttpContentType(), "the SDK sees an XML answer");
        assertTrue(raw.getHttpContentString().contains("<Code>JobNotFound</Code>"), raw.getHttpContentString());
        assertEquals("JobNotFound", SdkCalls.errorCode(sdk, hostPort, v3, "c", "missing-x", FormatType.XML));
        assertEquals("Throttling.User", SdkCalls.errorCode(sdk, hostPort, v3, "c", "throttle-x", FormatType.XML));
        assertEquals("MissingParameter", SdkCalls.errorCode(sdk, hostPort, v3, "c", null, FormatType.XML));
        DefaultAcsClient unknownKey = SdkCalls.client("nobody", "x");
        assertEquals("InvalidAccessKeyId.NotFound", SdkCalls.errorCode(unknownKey, hostPort, v3, "c", "ok-3", FormatType.XML));
        unknownKey.shutdown();
        DefaultAcsClient wrongSecret = SdkCalls.client(TestSupport.KEY_ID, "not-the-secret");
        assertEquals("SDK.InvalidAccessKeySecret", SdkCalls.errorCode(wrongSecret, hostPort, v3, "c", "ok-4", FormatType.XML),
                "the SDK finds its own string to sign in the XML Message too");
        wrongSecret.shutdown();
    }

    /** The decision's retry hint reaches the caller as x-acs-retry-after, less the time the answer took. */
    @Test
    void aThrottledAnswerCarriesTheRetryHint() throws Exception {
        URI signed = new StopJobClient(adapter.baseUrl(), TestSupport.KEY_ID, TestSupport.SECRET).signedV1Url("c", "throttle-hint");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(signed).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(429, r.statusCode(), r.body());
        long hint = Long.parseLong(r.headers().firstValue("x-acs-retry-after").orElseThrow());
        assertTrue(hint > FakeOrchestrator.THROTTLE_RETRY_AFTER_MS - 10_000 && hint <= FakeOrchestrator.THROTTLE_RETRY_AFTER_MS,
                "" + hint);
        URI missing = new StopJobClient(adapter.baseUrl(), TestSupport.KEY_ID, TestSupport.SECRET).signedV1Url("c", "missing-hint");
        HttpResponse<String> notFound = HttpClient.newHttpClient().send(HttpRequest.newBuilder(missing).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, notFound.statusCode());
        assertTrue(notFound.headers().firstValue("x-acs-retry-after").isEmpty(), "no hint where a retry cannot help");
    }
}
