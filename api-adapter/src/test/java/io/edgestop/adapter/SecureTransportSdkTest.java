package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.aliyuncs.DefaultAcsClient;

import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.auth.CredentialStore;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.adapter.tls.TestCertificate;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * {@code acs:SecureTransport} from the adapter's own TLS: Alibaba's official Java SDK calls an
 * adapter serving HTTPS (a test certificate the SDK is told to trust, host name checked; {@link SdkOverHttps})
 * and one serving plain HTTP, on a real broker with the real orchestrator. The RAM user's only
 * policy allows StopEdgeTranscodeJob when {@code acs:SecureTransport} is true: the call over
 * HTTPS is accepted and the same call over HTTP is Forbidden, for signature V1 and V3.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureTransportSdkTest {

    static final String ACCOUNT = "2222333344445555";
    static final String CLUSTER = "edge-tls-1";
    static final Credential OPS = new Credential("LTAI-tls-ops", "tls-ops-secret", ACCOUNT,
            "acs:ram::" + ACCOUNT + ":user/tls-ops");
    static final String SECURE_ONLY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"live:StopEdgeTranscodeJob\",\"Resource\":\"acs:live:*:" + ACCOUNT + ":domain/*\","
            + "\"Condition\":{\"Bool\":{\"acs:SecureTransport\":\"true\"}}}]}";

    EndToEndStack stack;
    TestCertificate certificate;
    ApiAdapter https;
    ApiAdapter http;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path dir) throws Exception {
        stack = EndToEndStack.orchestrator(broker, dir.resolve("state"), CLUSTER);
        stack.seed(ACCOUNT, OPS.principal(), SECURE_ONLY, List.of("job-v1", "job-v3"));
        certificate = TestCertificate.create("edge-stop adapter");
        char[] password = "tls-test-keystore".toCharArray();
        Path keystore = certificate.writePkcs12(dir.resolve("adapter.p12"), password);
        CredentialStore store = new InMemoryCredentialStore(List.of(OPS));
        Map<String, String> tls = stack.adapterSettings("tls-https");
        tls.put("tls.keystore.path", keystore.toString());
        tls.put("tls.keystore.password", new String(password));
        https = ApiAdapter.start(AdapterConfig.fromMap(tls), store);
        http = ApiAdapter.start(AdapterConfig.fromMap(stack.adapterSettings("tls-http")), store);
        await().atMost(Duration.ofSeconds(30)).until(() -> https.ready() && http.ready());
        assertEquals("https", https.baseUrl().getScheme());
        assertEquals("http", http.baseUrl().getScheme());
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {https, http, stack}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void aPolicyRequiringSecureTransportAllowsHttpsAndDeniesTheSameCallOverHttp(boolean v3) throws Exception {
        String job = v3 ? "job-v3" : "job-v1";
        DefaultAcsClient plain = SdkCalls.client(OPS.accessKeyId(), OPS.accessKeySecret());
        try {
            assertEquals("Forbidden", SdkCalls.errorCode(plain, "127.0.0.1:" + http.port(), v3, CLUSTER, job),
                    "over plain HTTP the condition is false");
        } finally {
            plain.shutdown();
        }
        try (SdkOverHttps secure = new SdkOverHttps(OPS.accessKeyId(), OPS.accessKeySecret(), certificate)) {
            assertEquals(job, secure.stop(https.port(), v3, CLUSTER, job).getJobId(), "over HTTPS the same call is allowed");
        }
    }
}
