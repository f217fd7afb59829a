package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.net.ssl.X509TrustManager;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.http.clients.ApacheHttpClient;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobRequest;
import com.aliyuncs.profile.DefaultProfile;

import io.edgestop.adapter.tls.TestCertificate;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.OrchestratorConfig;
import io.edgestop.orchestrator.TopicProvisioner;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/**
 * {@code acs:SecureTransport} from the adapter's own TLS: Alibaba's official Java SDK calls an
 * adapter serving HTTPS (a self-signed certificate the SDK is told to trust, host name checked)
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

    Topics topics;
    TestCertificate certificate;
    Orchestrator orchestrator;
    ApiAdapter https;
    ApiAdapter http;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path dir) throws Exception {
        topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of(CLUSTER), 2, (short) 1);
        }
        seed(broker.bootstrapServers());
        Map<String, String> oc = new HashMap<>();
        oc.put("bootstrap.servers", broker.bootstrapServers());
        oc.put("topic.prefix", topics.prefix());
        oc.put("application.id", "tls-" + topics.prefix().replace(".", ""));
        oc.put("state.dir", dir.resolve("state").toString());
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("commit.interval.ms", "50");
        orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)), "orchestrator running");

        certificate = TestCertificate.create("edge-stop adapter");
        char[] password = "tls-test-keystore".toCharArray();
        Path keystore = certificate.writePkcs12(dir.resolve("adapter.p12"), password);
        CredentialStore store = new InMemoryCredentialStore(List.of(OPS));
        Map<String, String> tls = adapterConfig(broker, "tls-https");
        tls.put("tls.keystore.path", keystore.toString());
        tls.put("tls.keystore.password", new String(password));
        https = ApiAdapter.start(AdapterConfig.fromMap(tls), store);
        http = ApiAdapter.start(AdapterConfig.fromMap(adapterConfig(broker, "tls-http")), store);
        await().atMost(Duration.ofSeconds(30)).until(() -> https.ready() && http.ready());
        assertEquals("https", https.baseUrl().getScheme());
        assertEquals("http", http.baseUrl().getScheme());
    }

    Map<String, String> adapterConfig(KafkaBroker broker, String id) {
        return new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "topic.prefix", topics.prefix(),
                "instance.id", id, "reply.timeout.ms", "20000"));
    }

    void seed(String bootstrap) throws Exception {
        long ts = Instant.now().minusSeconds(60).toEpochMilli();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            OrchestratorSdkEndToEndTest.send(producer, topics.accountSettings(), ACCOUNT, ts, AvroSerdes.accountSettings(),
                    AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true).setRevision(1).build());
            OrchestratorSdkEndToEndTest.send(producer, topics.accountPolicies(), ACCOUNT, ts, AvroSerdes.accountPolicies(),
                    AccountPolicies.newBuilder().setAccountId(ACCOUNT).setRevision(1).setPrincipals(Map.of(
                            OPS.principal(), List.of(RamPolicy.newBuilder().setPolicyName("StopOnlyOverHttps")
                                    .setPolicyType("Custom").setDocument(SECURE_ONLY).build()))).build());
            for (String job : List.of("job-v1", "job-v3")) {
                OrchestratorSdkEndToEndTest.send(producer, topics.jobState(), CLUSTER + "/" + job, ts, AvroSerdes.jobState(),
                        JobState.newBuilder().setClusterId(CLUSTER).setJobId(job).setAccountId(ACCOUNT)
                                .setDomainName("live.example.com").setStatus(JobStatus.RUNNING).setRevision(1)
                                .setLastStartAt(Instant.ofEpochMilli(ts)).build());
            }
            producer.flush();
        }
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {https, http, orchestrator}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    /**
     * The official SDK over HTTPS, trusting the test certificate (and the JDK's CAs) with host name
     * verification on. sdk-core's Apache transport is one client per JVM, built with the settings of
     * the first SDK client that needs it (other tests' plain HTTP clients) and kept until it is
     * closed: it is closed before this client is made and after it is used, so that this client's
     * trust managers take effect and later clients get their own settings again.
     */
    DefaultAcsClient httpsClient() throws java.io.IOException {
        ApacheHttpClient.getInstance().close();
        DefaultProfile profile = DefaultProfile.getProfile("cn-shanghai", OPS.accessKeyId(), OPS.accessKeySecret());
        HttpClientConfig cfg = HttpClientConfig.getDefault();
        cfg.setProtocolType(ProtocolType.HTTPS);
        cfg.setReadTimeoutMillis(30_000);
        cfg.setX509TrustManagers(new X509TrustManager[] {(X509TrustManager) certificate.trustManagers().getTrustManagers()[0]});
        profile.setHttpClientConfig(cfg);
        profile.setCloseTrace(true);
        return new DefaultAcsClient(profile);
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
        DefaultAcsClient secure = httpsClient();
        try {
            StopEdgeTranscodeJobRequest request = SdkCalls.request("localhost:" + https.port(), v3, CLUSTER, job);
            request.setSysProtocol(ProtocolType.HTTPS);
            assertEquals(job, secure.getAcsResponse(request).getJobId(), "over HTTPS the same call is allowed");
        } finally {
            secure.shutdown();
            ApacheHttpClient.getInstance().close();
        }
    }
}
