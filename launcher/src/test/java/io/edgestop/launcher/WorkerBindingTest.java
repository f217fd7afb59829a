package io.edgestop.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * Issue 21 section 3 on a broker that authenticates and authorizes like {@link SecuredClusterTest}'s
 * (SASL SCRAM, ACLs of {@link LeastPrivilege}, nothing allowed without one), with one worker principal
 * per cluster: a worker of one cluster can write neither another cluster's report topic nor the tick
 * topic; a report on another cluster's job that it writes on its own topic is dead-lettered and does
 * not close that job's pending stop; and the broker refuses report and tick timestamps far from its clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerBindingTest {

    private static final String ADMIN_PASSWORD = "admin-secret-b1d";
    private static final String APP_ID = "binding-orchestrator";
    private static final String CLUSTER_A = "edge-hangzhou-1";
    private static final String CLUSTER_B = "edge-shanghai-1";
    /** The worker principal of each cluster. */
    private static final Map<String, List<String>> WORKERS = Map.of("User:edge-a", List.of(CLUSTER_A),
            "User:edge-b", List.of(CLUSTER_B));
    private static final List<String> USERS = List.of("orchestrator", "adapter", "operator", "edge-a", "edge-b");

    private KafkaBroker broker;
    private Topics topics;
    private Seed seed;
    private Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        broker = KafkaBroker.inProcess(Map.ofEntries(
                Map.entry("listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-256,PLAIN"),
                Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                Map.entry("listener.name.external.plain.sasl.jaas.config", plainJaas("admin", ADMIN_PASSWORD)
                        .replace(";", " user_admin=\"" + ADMIN_PASSWORD + "\";")),
                Map.entry("listener.name.external.scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("super.users", "User:admin;User:ANONYMOUS"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("auto.create.topics.enable", "false")));
        topics = new Topics(broker.uniquePrefix());
        seed = Seed.demo();
        try (Admin admin = Admin.create(adminProperties())) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : USERS) {
                users.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password(user)));
            }
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(LeastPrivilege.acls(topics, APP_ID, WORKERS)).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aWorkerReportsOnlyOnItsOwnClusterAndNeverMovesStreamTime() throws Exception {
        assertEquals(0, cli("topics", "--kafka-config", clientFile("operator").toString(), "--seed", "demo",
                "--partitions", "2").code());
        assertEquals(0, cli("seed", "--kafka-config", clientFile("operator").toString(), "demo").code());
        Map<String, String> oc = settings("orchestrator");
        oc.put("application.id", APP_ID);
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("state.dir", dir.resolve("state").toString());
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        running.add(orchestrator);
        Map<String, String> ac = settings("adapter");
        ac.put("http.host", "127.0.0.1");
        ac.put("http.port", "0");
        ApiAdapter adapter = ApiAdapter.start(AdapterConfig.fromMap(ac), new InMemoryCredentialStore(seed.adapterCredentials()));
        running.add(adapter);
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(60)), "orchestrator " + orchestrator.state());
        await().atMost(Duration.ofSeconds(30)).until(adapter::ready);

        // a stop of a job on cluster B, whose workers are not running: it stays pending
        Seed.Example example = seed.example().orElseThrow();
        Seed.Job jobB = seed.jobs().stream().filter(j -> j.clusterId().equals(CLUSTER_B)
                && j.accountId().equals(example.credential().accountId()) && Seed.statusOf(j) == JobStatus.RUNNING)
                .findFirst().orElseThrow();
        SecuredClients.Cli call = cli("call", "--endpoint", adapter.baseUrl().toString(),
                "--access-key-id", example.credential().accessKeyId(),
                "--access-key-secret-file", Files.writeString(dir.resolve("example.secret"),
                        example.credential().accessKeySecret()).toString(),
                "--cluster-id", CLUSTER_B, "--job-id", jobB.jobId());
        assertEquals(0, call.code(), call.out() + call.err());
        String jobKey = JobKey.of(CLUSTER_B, jobB.jobId());
        StopDirective directive = AvroSerdes.stopDirective().deserialize("", awaitRecord(topics.directives(CLUSTER_B),
                r -> jobKey.equals(r.key())).value());

        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> workerA = producer("edge-a");
             KafkaProducer<String, byte[]> workerB = producer("edge-b")) {
            // cluster A's worker may not write cluster B's report topic, nor the ticks
            assertRefused(TopicAuthorizationException.class, workerA, report(topics.jobStatusReports(CLUSTER_B), jobKey,
                    stopped(directive, "forger-a"), now));
            assertRefused(TopicAuthorizationException.class, workerA, new ProducerRecord<>(topics.streamTimeTicks(), 0,
                    now + 3_600_000, "__tick__/0", tick(now + 3_600_000)));

            // on its own topic it may say anything, but a report on B's job is dead-lettered there
            workerA.send(report(topics.jobStatusReports(CLUSTER_A), jobKey, stopped(directive, "forger-a"), now))
                    .get(30, TimeUnit.SECONDS);
            ConsumerRecord<String, byte[]> dead = awaitRecord(topics.deadLetter(),
                    r -> topics.jobStatusReports(CLUSTER_A).equals(header(r, "__streams.errors.topic")));
            assertEquals(jobKey, dead.key());
            assertTrue(header(dead, "__streams.errors.message").contains("may name only its own cluster's jobs"),
                    header(dead, "__streams.errors.message"));

            // timestamps an hour away from the broker's clock are refused, on the report and the tick topics
            for (long far : List.of(now + 3_600_000, now - 3_600_000)) {
                assertRefused(InvalidTimestampException.class, workerB, report(topics.jobStatusReports(CLUSTER_B), jobKey,
                        stopped(directive, "w-b"), far));
            }
            try (KafkaProducer<String, byte[]> admin = new KafkaProducer<>(adminProperties(), new StringSerializer(),
                    new ByteArraySerializer())) {
                assertRefused(InvalidTimestampException.class, admin, new ProducerRecord<>(topics.streamTimeTicks(), 0,
                        now + 3_600_000, "__tick__/0", tick(now + 3_600_000)));
            }

        }
        // B's own worker closes the stop: the forged report did not (it would have been first on the job's
        // account partition, and closed it in its worker's name). A new producer: the last one's batches were refused.
        try (KafkaProducer<String, byte[]> workerB = producer("edge-b")) {
            workerB.send(report(topics.jobStatusReports(CLUSTER_B), jobKey, stopped(directive, "w-b"),
                    System.currentTimeMillis())).get(30, TimeUnit.SECONDS);
        }
        StopResult completed = AvroSerdes.stopResult().deserialize("", awaitRecord(topics.stopResults(), r -> {
            StopResult v = AvroSerdes.stopResult().deserialize("", r.value());
            return v.getRequestId().equals(directive.getRequestId()) && v.getOutcome() != Outcome.ACCEPTED;
        }).value());
        assertEquals(Outcome.COMPLETED, completed.getOutcome());
        JobObservation observed = AvroSerdes.jobObservation().deserialize("", awaitRecord(topics.jobObservations(),
                r -> jobKey.equals(r.key())).value());
        assertEquals("w-b", observed.getWorkerId(), "closed by cluster B's worker");
        List<String> closings = readAll(topics.stopResults()).stream()
                .map(r -> AvroSerdes.stopResult().deserialize("", r.value()))
                .filter(v -> v.getRequestId().equals(directive.getRequestId()) && v.getOutcome() != Outcome.ACCEPTED)
                .map(v -> v.getOutcome().toString()).toList();
        assertEquals(List.of("COMPLETED"), closings);
    }

    private static JobStatusReport stopped(StopDirective d, String worker) {
        return JobStatusReport.newBuilder().setClusterId(d.getClusterId()).setJobId(d.getJobId()).setStatus(JobStatus.STOPPED)
                .setStoppedAt(Instant.now()).setDirectiveId(d.getDirectiveId()).setRequestId(d.getRequestId())
                .setWorkerId(worker).setReportedAt(Instant.now()).build();
    }

    private static byte[] tick(long at) {
        return AvroSerdes.jobStatusReport().serialize("", JobStatusReport.newBuilder().setClusterId("__tick__").setJobId("")
                .setStatus(JobStatus.UNKNOWN).setWorkerId("forger").setReportedAt(Instant.ofEpochMilli(at)).build());
    }

    private static ProducerRecord<String, byte[]> report(String topic, String key, JobStatusReport r, long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, key, AvroSerdes.jobStatusReport().serialize(topic, r));
    }

    private static void assertRefused(Class<? extends Exception> why, KafkaProducer<String, byte[]> producer,
                                      ProducerRecord<String, byte[]> record) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(record).get(30, TimeUnit.SECONDS),
                "written: " + record.topic() + " @" + record.timestamp());
        assertInstanceOf(why, e.getCause(), String.valueOf(e.getCause()));
    }

    /** The first committed record of {@code topic} (read as the admin, from the beginning) that {@code wanted} accepts. */
    private ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            readAll(topic).stream().filter(wanted).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties p = adminProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private KafkaProducer<String, byte[]> producer(String user) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(clientFile(user))) {
            p.load(in);
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, String> settings(String user) throws Exception {
        return SecuredClients.settings(broker, topics, clientFile(user));
    }

    private SecuredClients.Cli cli(String... args) {
        SecuredClients.Cli r = SecuredClients.cli(broker, topics, args);
        return r;
    }

    private Path clientFile(String user) throws Exception {
        return SecuredClients.clientFile(dir, user);
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", plainJaas("admin", ADMIN_PASSWORD));
        return p;
    }

    private static String password(String user) {
        return user + "-pw-" + Integer.toHexString(user.hashCode());
    }

    private static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
