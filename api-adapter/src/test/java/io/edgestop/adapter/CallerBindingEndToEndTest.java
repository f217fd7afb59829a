package io.edgestop.adapter;

import static io.edgestop.adapter.EndToEndStack.CLUSTER;
import static io.edgestop.adapter.EndToEndStack.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.EndToEndStack.Job;
import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.SignatureV1;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * Issue 21, section 1, through the real stack (a broker, an orchestrator, TWO adapters): a signed read
 * URL, as proxies and access logs keep it, cannot be turned into a stop by a header, nor replayed on
 * another adapter instance.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerBindingEndToEndTest {

    EndToEndStack stack;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path stateDir) throws Exception {
        stack = EndToEndStack.start(broker, stateDir, List.of(Job.running("bind-running"), Job.running("bind-replayed")),
                "bind-a", "bind-b");
    }

    @AfterAll
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The forged sequence of the issue: a V1-signed Get URL sent with {@code x-acs-action: StopEdgeTranscodeJob}. */
    @Test
    void aSignedReadUrlWithAStopHeaderLeavesTheJobRunning() {
        String url = "/?" + signedV1Get("bind-running");
        for (int i = 0; i < 2; i++) { // both the header alone and with a matching x-acs-version
            HttpRequest.Builder forged = HttpRequest.newBuilder(adapter(0).resolve(url)).GET()
                    .header("x-acs-action", "StopEdgeTranscodeJob");
            if (i == 1) {
                forged.header("x-acs-version", "2016-11-01");
            }
            TestSupport.Answer a = TestSupport.send(forged.build());
            assertEquals(400, a.status(), a.body());
            assertEquals("InvalidParameter", a.json().path("Code").asText(), a.body());
            assertTrue(a.json().path("Message").asText().contains("x-acs-action disagrees with the parameter Action"), a.body());
        }
        // the same URL as signed is still a read (its nonce unused by the refusals), and the job runs
        TestSupport.Answer read = TestSupport.get(adapter(0), url);
        assertEquals(200, read.status(), read.body());
        assertEquals("1", read.json().path("Job").path("Status").asText(), read.body());
        assertEquals("RUNNING", read.json().path("Job").path("JobStatus").asText(), read.body());
        assertTrue(read.json().path("Job").path("StopRequestId").isMissingNode(), "no stop in flight: " + read.body());
    }

    @Test
    void aReadUrlReplayedToTheOtherAdapterInstanceIsSignatureNonceUsed() {
        String url = "/?" + signedV1Get("bind-replayed");
        TestSupport.Answer first = TestSupport.get(adapter(0), url);
        assertEquals(200, first.status(), first.body());
        TestSupport.Answer replayed = TestSupport.get(adapter(1), url);
        assertEquals(400, replayed.status(), replayed.body());
        assertEquals("SignatureNonceUsed", replayed.json().path("Code").asText(), replayed.body());
        TestSupport.Answer again = TestSupport.get(adapter(0), url);
        assertEquals("SignatureNonceUsed", again.json().path("Code").asText(), "and on the first instance: " + again.body());
        // a fresh nonce reads on either
        assertEquals(200, TestSupport.get(adapter(1), "/?" + signedV1Get("bind-replayed")).status());
    }

    private URI adapter(int i) {
        return stack.adapter(i).baseUrl();
    }

    private static String signedV1Get(String jobId) {
        Map<String, String> p = new TreeMap<>(Map.of("Action", "GetEdgeTranscodeJob", "Version", "2016-11-01",
                "AccessKeyId", OPS.accessKeyId(), "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                "SignatureNonce", UUID.randomUUID().toString(), "Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                "ClusterId", CLUSTER, "JobId", jobId));
        p.put("Signature", SignatureV1.sign(OPS.accessKeySecret(), SignatureV1.stringToSign("GET", p)));
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(AcsEncoding.percentEncode(k)).append('=')
                .append(AcsEncoding.percentEncode(v)));
        return sb.toString();
    }
}
