package io.edgestop.adapter;

import static io.edgestop.adapter.EndToEndStack.CLUSTER;
import static io.edgestop.adapter.EndToEndStack.INTERN;
import static io.edgestop.adapter.EndToEndStack.OPS;
import static io.edgestop.adapter.EndToEndStack.QUOTA_ROOT;
import static io.edgestop.adapter.EndToEndStack.SMALL_QUOTA_ACCOUNT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobResponse;

import io.edgestop.adapter.EndToEndStack.Job;
import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.schema.JobStatus;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * End to end: Alibaba's official Java SDK (V1 and V3) -> adapter -> real in-process broker -> the
 * real orchestrator (Kafka Streams) -> result -> SDK.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrchestratorSdkEndToEndTest {

    EndToEndStack stack;
    ApiAdapter adapter;
    ApiAdapter second;
    String hostPort;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path stateDir) throws Exception {
        stack = EndToEndStack.start(broker, stateDir, List.of(Job.running("job-v1"), Job.running("job-v3"),
                Job.running("job-forbidden"), new Job("job-idle", EndToEndStack.ACCOUNT, JobStatus.NOT_STARTED),
                new Job("job-quota-1", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING),
                new Job("job-quota-2", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING), Job.running("job-replay")),
                "e2e-a", "e2e-b");
        adapter = stack.adapter(0);
        second = stack.adapter(1);
        hostPort = stack.hostPort();
    }

    @AfterAll
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    DefaultAcsClient sdk(Credential c) {
        return SdkCalls.client(c.accessKeyId(), c.accessKeySecret());
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void successReturnsTheJobIdThroughTheSdk(boolean v3) throws Exception {
        DefaultAcsClient sdk = sdk(OPS);
        try {
            String job = v3 ? "job-v3" : "job-v1";
            StopEdgeTranscodeJobResponse r = SdkCalls.stop(sdk, hostPort, v3, CLUSTER, job);
            assertEquals(job, r.getJobId());
            assertTrue(r.getRequestId().matches("[0-9A-F-]{36}"), r.getRequestId());
        } finally {
            sdk.shutdown();
        }
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void errorsSurfaceInTheSdkAsTheirCodes(boolean v3) throws Exception {
        DefaultAcsClient ops = sdk(OPS);
        DefaultAcsClient intern = sdk(INTERN);
        try {
            assertEquals("JobNotFound", SdkCalls.errorCode(ops, hostPort, v3, CLUSTER, "job-does-not-exist"));
            assertEquals("Forbidden", SdkCalls.errorCode(intern, hostPort, v3, CLUSTER, "job-forbidden"));
            assertEquals("OperationDenied", SdkCalls.errorCode(ops, hostPort, v3, CLUSTER, "job-idle"));
            assertEquals("MissingParameter", SdkCalls.errorCode(ops, hostPort, v3, CLUSTER, null));
            try (SdkCalls.TamperingProxy proxy = new SdkCalls.TamperingProxy(adapter.baseUrl(),
                    q -> q.replace("JobId=job", "JobId=xjob"))) {
                assertEquals("SignatureDoesNotMatch", SdkCalls.errorCode(ops, proxy.hostPort(), v3, CLUSTER, "job-v1"));
            }
        } finally {
            ops.shutdown();
            intern.shutdown();
        }
    }

    /**
     * One call a minute: then Throttling.User on both signature versions, with x-acs-retry-after. Every
     * retry answered before the hint's moment is throttled; the first one sent after it succeeds.
     */
    @Test
    void throttlingUserSaysWhenARetrySucceeds() throws Exception {
        DefaultAcsClient small = sdk(QUOTA_ROOT);
        StopJobClient raw = new StopJobClient(adapter.baseUrl(), QUOTA_ROOT.accessKeyId(), QUOTA_ROOT.accessKeySecret());
        try {
            assertEquals("OK", SdkCalls.errorCode(small, hostPort, false, CLUSTER, "job-quota-1"));
            assertEquals("Throttling.User", SdkCalls.errorCode(small, hostPort, false, CLUSTER, "job-quota-2"));
            assertEquals("Throttling.User", SdkCalls.errorCode(small, hostPort, true, CLUSTER, "job-quota-2"));
            long sent = System.currentTimeMillis();
            HttpResponse<String> throttled = send(raw.signedV1Url(CLUSTER, "job-quota-2"));
            long received = System.currentTimeMillis();
            assertEquals(429, throttled.statusCode(), throttled.body());
            long hint = Long.parseLong(throttled.headers().firstValue("x-acs-retry-after").orElseThrow());
            assertTrue(hint > 0 && hint <= 60_000, "within the minute: " + hint);
            // the slot frees at a whole second between sent + hint and received + hint
            List<String> early = new ArrayList<>();
            await().atMost(Duration.ofMillis(hint + 30_000)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long at = System.currentTimeMillis();
                HttpResponse<String> retry = send(raw.signedV1Url(CLUSTER, "job-quota-2"));
                long back = System.currentTimeMillis();
                if (back < sent + hint) {
                    early.add(retry.statusCode() + " " + retry.headers().firstValue("x-acs-retry-after").orElse("-"));
                    assertEquals(429, retry.statusCode(), "before the hint: " + retry.body());
                    return false;
                }
                if (at >= received + hint) {
                    assertEquals(200, retry.statusCode(), "after the hint: " + retry.body());
                }
                return retry.statusCode() == 200;
            });
            assertFalse(early.isEmpty(), "retries before the hint were tried");
        } finally {
            small.shutdown();
        }
    }

    private static HttpResponse<String> send(java.net.URI url) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNonceReplayedToAnotherInstanceIsRejectedDeploymentWide() {
        StopJobClient client = new StopJobClient(adapter.baseUrl(), OPS.accessKeyId(), OPS.accessKeySecret());
        java.net.URI signed = client.signedV1Url(CLUSTER, "job-replay");
        TestSupport.Answer first = TestSupport.get(adapter.baseUrl(), signed.getRawPath() + "?" + signed.getRawQuery());
        assertEquals(200, first.status(), first.body());
        TestSupport.Answer replay = TestSupport.get(second.baseUrl(), signed.getRawPath() + "?" + signed.getRawQuery());
        assertEquals(400, replay.status(), replay.body());
        assertEquals("SignatureNonceUsed", replay.code());
    }
}
