package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
import io.edgestop.topics.Topics;

/**
 * The whole request path for client tests: the real orchestrator (Kafka Streams) and one or more
 * adapters on a real broker, with accounts, a RAM policy and jobs seeded through the compacted
 * input topics. {@link #OPS} may stop jobs of {@link #ACCOUNT}, {@link #INTERN} has no policy,
 * {@link #QUOTA_ROOT} owns an account allowed one call a minute.
 */
final class EndToEndStack implements AutoCloseable {

    static final String ACCOUNT = "1111222233334444";
    static final String SMALL_QUOTA_ACCOUNT = "5555666677778888";
    static final String CLUSTER = "edge-hz-1";
    static final String DOMAIN = "live.example.com";

    static final Credential OPS = new Credential("LTAI-ops", "ops-secret/+=", ACCOUNT, "acs:ram::" + ACCOUNT + ":user/ops");
    static final Credential INTERN = new Credential("LTAI-intern", "intern-secret", ACCOUNT, "acs:ram::" + ACCOUNT + ":user/intern");
    static final Credential QUOTA_ROOT = new Credential("LTAI-small", "small-secret", SMALL_QUOTA_ACCOUNT, null);

    /** A seeded job of {@link #CLUSTER}. */
    record Job(String jobId, String accountId, JobStatus status) {
        static Job running(String jobId) {
            return new Job(jobId, ACCOUNT, JobStatus.RUNNING);
        }
    }

    final Topics topics;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private Orchestrator orchestrator;
    private final List<ApiAdapter> adapters = new ArrayList<>();

    private EndToEndStack(Topics topics) {
        this.topics = topics;
    }

    /** Starts the orchestrator and one adapter per instance id, and waits until all are ready. */
    static EndToEndStack start(KafkaBroker broker, Path stateDir, List<Job> jobs, String... adapterIds) throws Exception {
        EndToEndStack stack = new EndToEndStack(new Topics(broker.uniquePrefix()));
        try {
            stack.startParts(broker, stateDir, jobs, adapterIds);
            return stack;
        } catch (Exception | AssertionError e) {
            stack.close();
            throw e;
        }
    }

    private void startParts(KafkaBroker broker, Path stateDir, List<Job> jobs, String... adapterIds) throws Exception {
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of(CLUSTER), 2, (short) 1);
        }
        seed(broker.bootstrapServers(), jobs);
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
        parts.add(orchestrator);
        if (!orchestrator.awaitRunning(Duration.ofSeconds(120))) {
            throw new AssertionError("the orchestrator did not reach RUNNING");
        }
        CredentialStore store = new InMemoryCredentialStore(List.of(OPS, INTERN, QUOTA_ROOT));
        for (String id : adapterIds) {
            ApiAdapter a = ApiAdapter.start(AdapterConfig.fromMap(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "topic.prefix", topics.prefix(), "http.host", "127.0.0.1", "instance.id", id,
                    "reply.timeout.ms", "20000")), store);
            parts.add(0, a);
            adapters.add(a);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> adapters.stream().allMatch(ApiAdapter::ready));
    }

    ApiAdapter adapter(int i) {
        return adapters.get(i);
    }

    String hostPort() {
        return "127.0.0.1:" + adapters.get(0).port();
    }

    private void seed(String bootstrap, List<Job> jobs) throws Exception {
        long ts = Instant.now().minusSeconds(60).toEpochMilli();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
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
            for (Job job : jobs) {
                send(producer, topics.jobState(), CLUSTER + "/" + job.jobId(), ts, AvroSerdes.jobState(),
                        JobState.newBuilder().setClusterId(CLUSTER).setJobId(job.jobId()).setAccountId(job.accountId())
                                .setDomainName(DOMAIN).setStatus(job.status()).setRevision(1)
                                .setLastStartAt(Instant.ofEpochMilli(ts)).build());
            }
            producer.flush();
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            String topic, String key, long ts, Serializer<T> serde, T value) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, ts, key, serde.serialize(topic, value))).get();
    }

    @Override
    public void close() {
        for (AutoCloseable c : parts) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the other parts still close
            }
        }
    }
}
