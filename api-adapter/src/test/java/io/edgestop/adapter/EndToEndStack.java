package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.auth.CredentialStore;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.TopicContract;
import io.edgestop.topics.Topics;

/**
 * The whole request path for client tests: the real orchestrator (Kafka Streams) on a real broker,
 * with fresh topics and one edge cluster, adapters on its topics, and accounts, RAM policies and
 * jobs seeded through the compacted input topics as the control plane would.
 *
 * <p>{@link #start} seeds the standard accounts and starts adapters that know {@link #OPS} (may
 * stop jobs of {@link #ACCOUNT}), {@link #INTERN} (no policy) and {@link #QUOTA_ROOT} (owns an
 * account allowed one call a minute). {@link #orchestrator} starts the orchestrator alone, for a
 * test that seeds its own account ({@link #seed}) and starts its own adapters ({@link #adapterSettings}).
 */
final class EndToEndStack implements AutoCloseable {

    static final String ACCOUNT = "1111222233334444";
    static final String SMALL_QUOTA_ACCOUNT = "5555666677778888";
    static final String CLUSTER = "edge-hz-1";
    static final String DOMAIN = "live.example.com";
    /** The orchestrators' job query token: a secret, like the access key secrets (SecretsStayOutTest). */
    static final String QUERY_TOKEN = io.edgestop.ops.QueryToken.generate();

    static final Credential OPS = new Credential("LTAI-ops", "ops-secret/+=", ACCOUNT, "acs:ram::" + ACCOUNT + ":user/ops");
    static final Credential INTERN = new Credential("LTAI-intern", "intern-secret", ACCOUNT, "acs:ram::" + ACCOUNT + ":user/intern");
    static final Credential QUOTA_ROOT = new Credential("LTAI-small", "small-secret", SMALL_QUOTA_ACCOUNT, null);
    /** A RAM user of {@link #SMALL_QUOTA_ACCOUNT} who may read the jobs of {@link #DOMAIN} only. */
    static final Credential LIMITED = new Credential("LTAI-limited", "limited-secret", SMALL_QUOTA_ACCOUNT,
            "acs:ram::" + SMALL_QUOTA_ACCOUNT + ":user/limited");

    /**
     * A seeded job of the stack's cluster. Unless given: named "name of <id>", on {@link #DOMAIN}, last
     * started a minute ago, created 2026-11-02T08:30:00Z (none when NOT_STARTED).
     */
    record Job(String jobId, String accountId, JobStatus status, String name, String domain, Instant createTime,
               Instant lastStartAt) {
        Job(String jobId, String accountId, JobStatus status) {
            this(jobId, accountId, status, null, null, null, null);
        }

        static Job running(String jobId) {
            return new Job(jobId, ACCOUNT, JobStatus.RUNNING);
        }
    }

    final KafkaBroker broker;
    final Topics topics;
    final String cluster;
    private final String applicationId;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final List<Orchestrator> orchestrators = new ArrayList<>();
    private final List<ApiAdapter> adapters = new ArrayList<>();

    private EndToEndStack(KafkaBroker broker, String cluster) {
        this.broker = broker;
        this.topics = new Topics(broker.uniquePrefix());
        this.cluster = cluster;
        this.applicationId = "e2e-" + topics.prefix().replace(".", "");
    }

    /** The orchestrator on {@link #CLUSTER} with the standard accounts and {@code jobs}, and one adapter per instance id, all ready. */
    static EndToEndStack start(KafkaBroker broker, Path stateDir, List<Job> jobs, String... adapterIds) throws Exception {
        return start(broker, stateDir, jobs, 1, adapterIds);
    }

    /**
     * The same with {@code instances} orchestrators, each serving job queries on a free port; the adapters
     * send their job queries to the first instance only, which forwards those of accounts another one owns.
     */
    static EndToEndStack start(KafkaBroker broker, Path stateDir, List<Job> jobs, int instances, String... adapterIds)
            throws Exception {
        return started(new EndToEndStack(broker, CLUSTER), stack -> {
            stack.createTopics();
            stack.seedStandardAccounts(jobs); // before the orchestrator starts: its first commands find them
            for (int i = 0; i < instances; i++) {
                stack.startOrchestrator(instances == 1 ? stateDir : stateDir.resolve("orchestrator-" + i));
            }
            stack.awaitOrchestrators();
            stack.startAdapters(adapterIds);
        });
    }

    /** The orchestrator alone, running, on fresh topics with the directive topic of {@code cluster}; nothing seeded. */
    static EndToEndStack orchestrator(KafkaBroker broker, Path stateDir, String cluster) throws Exception {
        return started(new EndToEndStack(broker, cluster), stack -> {
            stack.createTopics();
            stack.startOrchestrator(stateDir);
            stack.awaitOrchestrators();
        });
    }

    private interface Start {
        void run(EndToEndStack stack) throws Exception;
    }

    private static EndToEndStack started(EndToEndStack stack, Start start) throws Exception {
        try {
            start.run(stack);
            return stack;
        } catch (Exception | AssertionError e) {
            stack.close();
            throw e;
        }
    }

    private void createTopics() {
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of(cluster), 2, (short) 1);
        }
    }

    private void startOrchestrator(Path stateDir) {
        Map<String, String> oc = new HashMap<>();
        oc.put("bootstrap.servers", broker.bootstrapServers());
        oc.put("topic.prefix", topics.prefix());
        oc.put("application.id", applicationId);
        oc.put("state.dir", stateDir.toString());
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("commit.interval.ms", "50");
        oc.put("query.port", "0");
        oc.put("query.token", QUERY_TOKEN);
        oc.put("admin.port", "0"); // its /metrics say how each job query was served (owner, forwarded)
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        parts.add(orchestrator);
        orchestrators.add(orchestrator);
    }

    private void awaitOrchestrators() {
        for (Orchestrator o : orchestrators) {
            if (!o.awaitRunning(Duration.ofSeconds(120))) {
                throw new AssertionError("an orchestrator did not reach RUNNING");
            }
        }
        // every instance decides (owns a partition) before the first call
        await().atMost(Duration.ofSeconds(60)).until(() -> orchestrators.stream().allMatch(Orchestrator::ready));
    }

    private void seedStandardAccounts(List<Job> jobs) throws Exception {
        String allow = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"live:StopEdgeTranscodeJob\",\"live:GetEdgeTranscodeJob\","
                + "\"live:ListEdgeTranscodeJob\"],"
                + "\"Resource\":\"acs:live:*:" + ACCOUNT + ":domain/*\"}]}";
        seedAccount(ACCOUNT, null, Map.of(OPS.principal(), allow));
        seedAccount(SMALL_QUOTA_ACCOUNT, 1, Map.of(LIMITED.principal(), "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"live:GetEdgeTranscodeJob\",\"live:ListEdgeTranscodeJob\"],"
                + "\"Resource\":\"acs:live:*:" + SMALL_QUOTA_ACCOUNT + ":domain/" + DOMAIN + "\"}]}"));
        seedJobs(jobs);
    }

    private void startAdapters(String... adapterIds) {
        CredentialStore store = new InMemoryCredentialStore(List.of(OPS, INTERN, QUOTA_ROOT, LIMITED));
        for (String id : adapterIds) {
            Map<String, String> settings = adapterSettings(id);
            settings.put("http.host", "127.0.0.1");
            ApiAdapter a = ApiAdapter.start(AdapterConfig.fromMap(settings), store);
            parts.add(0, a);
            adapters.add(a);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> adapters.stream().allMatch(ApiAdapter::ready));
    }

    /** The orchestrator's application id: the prefix of its internal topics. */
    String applicationId() {
        return applicationId;
    }

    Orchestrator orchestrator(int i) {
        return orchestrators.get(i);
    }

    /** The job query endpoint of orchestrator {@code i}. */
    URI queryUrl(int i) {
        return URI.create("http://127.0.0.1:" + orchestrators.get(i).queryPort() + "/");
    }

    /** The Prometheus metrics of orchestrator {@code i}. */
    URI metricsUrl(int i) {
        return URI.create("http://127.0.0.1:" + orchestrators.get(i).adminPort() + "/metrics");
    }

    ApiAdapter adapter(int i) {
        return adapters.get(i);
    }

    String hostPort() {
        return "127.0.0.1:" + adapters.get(0).port();
    }

    /** Settings of an adapter on this stack's topics (any free port); the caller may add to them. */
    Map<String, String> adapterSettings(String instanceId) {
        return new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "topic.prefix", topics.prefix(),
                "instance.id", instanceId, "reply.timeout.ms", "20000", "query.urls", queryUrl(0).toString(),
                "query.token", QUERY_TOKEN));
    }

    /** Enables the account, attaches {@code policyJson} to {@code principal} and adds RUNNING jobs of the stack's cluster. */
    void seed(String accountId, String principal, String policyJson, List<String> jobIds) throws Exception {
        seedAccount(accountId, null, Map.of(principal, policyJson));
        seedJobs(jobIds.stream().map(id -> new Job(id, accountId, JobStatus.RUNNING)).toList());
    }

    /** Enables the account (with a quota per minute, or the default when null) and attaches each principal's policy. */
    private void seedAccount(String accountId, Integer callsPerMinute, Map<String, String> policyByPrincipal) throws Exception {
        Map<String, List<RamPolicy>> principals = new LinkedHashMap<>();
        policyByPrincipal.forEach((principal, json) -> principals.put(principal, List.of(RamPolicy.newBuilder()
                .setPolicyName("TestPolicy").setPolicyType("Custom").setDocument(json).build())));
        try (Seeder seeder = new Seeder()) {
            seeder.send(TopicContract.ACCOUNT_SETTINGS, accountId, AccountSettings.newBuilder().setAccountId(accountId)
                    .setEdgeTranscodeEnabled(true).setStopCallsPerMinute(callsPerMinute).setRevision(1).build());
            if (!principals.isEmpty()) {
                seeder.send(TopicContract.ACCOUNT_POLICIES, accountId, AccountPolicies.newBuilder().setAccountId(accountId)
                        .setRevision(1).setPrincipals(principals).build());
            }
        }
    }

    private void seedJobs(List<Job> jobs) throws Exception {
        try (Seeder seeder = new Seeder()) {
            for (Job job : jobs) {
                JobState.Builder state = JobState.newBuilder().setClusterId(cluster)
                        .setJobId(job.jobId()).setAccountId(job.accountId())
                        .setName(job.name() != null ? job.name() : "name of " + job.jobId())
                        .setTemplateId("tpl-1").setDomainName(job.domain() != null ? job.domain() : DOMAIN).setStatus(job.status())
                        .setRevision(1).setLastStartAt(job.lastStartAt() != null ? job.lastStartAt() : Instant.ofEpochMilli(seeder.ts));
                if (job.status() != JobStatus.NOT_STARTED) { // a job-state without the optional Alibaba fields too
                    state.setCreateTime(job.createTime() != null ? job.createTime() : Instant.parse("2026-11-02T08:30:00.250Z"))
                            .setTemplateName("template tpl-1")
                            .setStreamInput("rtmp://" + DOMAIN + "/app/" + job.jobId())
                            .setStreamOutput("rtmp://" + DOMAIN + "/app/" + job.jobId() + "_out").setTranscodeType("common");
                }
                seeder.send(TopicContract.JOB_STATE, JobKey.of(cluster, job.jobId()), state.build());
            }
        }
    }

    /** Writes control-plane records a minute in the past, each acknowledged before the next. */
    private final class Seeder implements AutoCloseable {
        final long ts = Instant.now().minusSeconds(60).toEpochMilli();
        private final KafkaProducer<String, byte[]> producer;

        Seeder() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }

        <T extends org.apache.avro.specific.SpecificRecord> void send(TopicContract<T> topic, String key, T value) throws Exception {
            String name = topics.name(topic);
            producer.send(new ProducerRecord<>(name, null, ts, key, AvroSerdes.of(topic).serialize(name, value))).get();
        }

        @Override
        public void close() {
            producer.close();
        }
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
