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

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobResponse;

import io.edgestop.adapter.client.StopJobClient;
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
 * End to end: Alibaba's official Java SDK (V1 and V3) -> adapter -> real in-process broker -> the
 * real orchestrator (Kafka Streams) -> result -> SDK. Accounts, policies and jobs are seeded by
 * producing to the compacted input topics.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrchestratorSdkEndToEndTest {

    static final String ACCOUNT = "1111222233334444";
    static final String SMALL_QUOTA_ACCOUNT = "5555666677778888";
    static final String CLUSTER = "edge-hz-1";
    static final String DOMAIN = "live.example.com";

    static final Credential OPS = new Credential("LTAI-ops", "ops-secret/+=", ACCOUNT, "acs:ram::" + ACCOUNT + ":user/ops");
    static final Credential INTERN = new Credential("LTAI-intern", "intern-secret", ACCOUNT, "acs:ram::" + ACCOUNT + ":user/intern");
    static final Credential QUOTA_ROOT = new Credential("LTAI-small", "small-secret", SMALL_QUOTA_ACCOUNT, null);

    Topics topics;
    Orchestrator orchestrator;
    ApiAdapter adapter;
    ApiAdapter second;
    String hostPort;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path stateDir) throws Exception {
        topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of(CLUSTER), 2, (short) 1);
        }
        seed(broker.bootstrapServers());
        Map<String, String> oc = new HashMap<>();
        oc.put("bootstrap.servers", broker.bootstrapServers());
        oc.put("topic.prefix", topics.prefix());
        oc.put("application.id", "e2e-" + topics.prefix().replace(".", ""));
        oc.put("state.dir", stateDir.toString());
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("commit.interval.ms", "50");
        orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)), "orchestrator running");
        CredentialStore store = new InMemoryCredentialStore(List.of(OPS, INTERN, QUOTA_ROOT));
        adapter = startAdapter(broker, "e2e-a", store);
        second = startAdapter(broker, "e2e-b", store);
        hostPort = "127.0.0.1:" + adapter.port();
        await().atMost(Duration.ofSeconds(30)).until(() -> adapter.ready() && second.ready());
    }

    ApiAdapter startAdapter(KafkaBroker broker, String id, CredentialStore store) {
        return ApiAdapter.start(AdapterConfig.fromMap(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic.prefix", topics.prefix(), "http.host", "127.0.0.1", "instance.id", id,
                "reply.timeout.ms", "20000")), store);
    }

    void seed(String bootstrap) throws Exception {
        long ts = Instant.now().minusSeconds(60).toEpochMilli();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            send(producer, topics.accountSettings(), ACCOUNT, ts, AvroSerdes.accountSettings(),
                    AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true).setRevision(1).build());
            send(producer, topics.accountSettings(), SMALL_QUOTA_ACCOUNT, ts, AvroSerdes.accountSettings(),
                    AccountSettings.newBuilder().setAccountId(SMALL_QUOTA_ACCOUNT).setEdgeTranscodeEnabled(true)
                            .setStopCallsPerMinute(1).setRevision(1).build());
            String allow = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:StopEdgeTranscodeJob\","
                    + "\"Resource\":\"acs:live:*:" + ACCOUNT + ":domain/*\"}]}";
            send(producer, topics.accountPolicies(), ACCOUNT, ts, AvroSerdes.accountPolicies(),
                    AccountPolicies.newBuilder().setAccountId(ACCOUNT).setRevision(1).setPrincipals(Map.of(
                            OPS.principal(), List.of(RamPolicy.newBuilder().setPolicyName("LiveOps")
                                    .setPolicyType("Custom").setDocument(allow).build()))).build());
            for (String[] job : new String[][] {
                    {"job-v1", ACCOUNT, "RUNNING"}, {"job-v3", ACCOUNT, "RUNNING"}, {"job-forbidden", ACCOUNT, "RUNNING"},
                    {"job-idle", ACCOUNT, "NOT_STARTED"}, {"job-quota-1", SMALL_QUOTA_ACCOUNT, "RUNNING"},
                    {"job-quota-2", SMALL_QUOTA_ACCOUNT, "RUNNING"}, {"job-replay", ACCOUNT, "RUNNING"}}) {
                send(producer, topics.jobState(), CLUSTER + "/" + job[0], ts, AvroSerdes.jobState(),
                        JobState.newBuilder().setClusterId(CLUSTER).setJobId(job[0]).setAccountId(job[1])
                                .setDomainName(DOMAIN).setStatus(JobStatus.valueOf(job[2])).setRevision(1)
                                .setLastStartAt(Instant.ofEpochMilli(ts)).build());
            }
            producer.flush();
        }
    }

    static <T extends org.apache.avro.specific.SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            String topic, String key, long ts, Serializer<T> serde, T value) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, ts, key, serde.serialize(topic, value))).get();
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {adapter, second, orchestrator}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
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

    @Test
    void throttlingUserOnBothSignatureVersions() {
        DefaultAcsClient small = sdk(QUOTA_ROOT);
        try {
            assertEquals("OK", SdkCalls.errorCode(small, hostPort, false, CLUSTER, "job-quota-1"));
            assertEquals("Throttling.User", SdkCalls.errorCode(small, hostPort, false, CLUSTER, "job-quota-2"));
            assertEquals("Throttling.User", SdkCalls.errorCode(small, hostPort, true, CLUSTER, "job-quota-2"));
        } finally {
            small.shutdown();
        }
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
