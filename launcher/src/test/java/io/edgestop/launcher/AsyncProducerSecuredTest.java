package io.edgestop.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.Topics;

/**
 * Issue 21 section 2 on a broker that authenticates and authorizes as {@link SecuredClusterTest}'s does, with the
 * ACLs of {@link LeastPrivilege}: the async producer {@code billing} proves itself to Kafka as {@code User:billing}
 * and can write only {@code async-commands.billing}. It cannot act as another account or as root, cannot fake
 * SourceIp or SecureTransport, cannot date a command far from the broker's time, and cannot write
 * {@code stop-commands} or another producer's topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncProducerSecuredTest {

    private static final String APP_ID = "async-secured-orchestrator";
    private static final List<String> USERS = List.of("orchestrator", "operator", "billing", "other");
    private static final String A = "1000000000000001";
    private static final String B = "1000000000000002";
    private static final String CLUSTER = "edge-a";
    /** A seed whose account A lets billing act as two of its users, and whose account B lets only "other" act as its root. */
    private static final String SEED = """
            accounts:
              - accountId: "%1$s"
                edgeTranscodeEnabled: true
                asyncProducers: {billing: ["user/live-ops", "user/office"]}
              - accountId: "%2$s"
                edgeTranscodeEnabled: true
                asyncProducers: {other: ["root"]}
            credentials: []
            policies:
              - accountId: "%1$s"
                principal: user/live-ops
                policyName: StopAll
                policyType: Custom
                document: {Version: "1", Statement: [{Effect: Allow, Action: "live:StopEdgeTranscodeJob", Resource: "*"}]}
              - accountId: "%1$s"
                principal: user/office
                policyName: FromTheOfficeOverHttps
                policyType: Custom
                document:
                  Version: "1"
                  Statement:
                    - Effect: Allow
                      Action: "live:StopEdgeTranscodeJob"
                      Resource: "*"
                      Condition: {IpAddress: {"acs:SourceIp": "10.0.0.0/8"}, Bool: {"acs:SecureTransport": "true"}}
            jobs:
              - {clusterId: %3$s, jobId: job-a1, accountId: "%1$s", domainName: live.example.com, status: RUNNING}
              - {clusterId: %3$s, jobId: job-a2, accountId: "%1$s", domainName: live.example.com, status: RUNNING}
              - {clusterId: %3$s, jobId: job-b1, accountId: "%2$s", domainName: live.example.com, status: RUNNING}
            """.formatted(A, B, CLUSTER);

    private KafkaBroker broker;
    private Topics topics;
    private Path dir;
    private Orchestrator orchestrator;
    private KafkaProducer<String, byte[]> billing;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        broker = SecuredClusterTest.securedBroker();
        topics = new Topics(broker.uniquePrefix());
        try (Admin admin = Admin.create(clientProperties("admin"))) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : USERS) {
                users.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), SecuredClusterTest.password(user)));
            }
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(LeastPrivilege.acls(topics, APP_ID, List.of(CLUSTER), List.of("billing", "other")))
                    .all().get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, cli("topics", "--kafka-config", clientFile("operator").toString(), "--cluster", CLUSTER,
                "--async-producer", "billing", "--async-producer", "other", "--partitions", "2"));
        Path seedFile = Files.writeString(dir.resolve("seed.yaml"), SEED);
        assertEquals(0, cli("seed", "--kafka-config", clientFile("operator").toString(), seedFile.toString()));

        Map<String, String> oc = new HashMap<>();
        oc.put("bootstrap.servers", broker.bootstrapServers());
        oc.put("topic.prefix", topics.prefix());
        oc.put("application.id", APP_ID);
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("state.dir", dir.resolve("state").toString());
        oc.put(OrchestratorConfig.ASYNC_PRODUCERS, "billing,other");
        clientProperties("orchestrator").forEach((k, v) -> oc.put("kafka." + k, v.toString()));
        orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(60)), "orchestrator " + orchestrator.state());

        Properties pp = clientProperties("billing");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        billing = new KafkaProducer<>(pp);
    }

    @AfterAll
    void stop() throws Exception {
        if (billing != null) {
            billing.close(Duration.ofSeconds(5));
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aProducerActsOnlyAsTheIdentityItProves() throws Exception {
        String own = topics.asyncCommands("billing");
        long now = System.currentTimeMillis();

        // as a principal account A lists for it: accepted
        StopCommand allowed = command("allowed", A, arn(A, "user/live-ops"), "job-a1").build();
        send(own, allowed, now);
        // as account B's root (B allows only "other"), and as A's root (not listed): refused
        StopCommand otherAccount = command("other-account", B, arn(B, "root"), "job-b1").build();
        send(own, otherAccount, now);
        StopCommand root = command("root", A, arn(A, "root"), "job-a2").build();
        send(own, root, now);
        // as A's office user, claiming the office network over HTTPS, which only the adapter may say: refused by the policy
        StopCommand forged = command("forged", A, arn(A, "user/office"), "job-a2").setSourceIp("10.1.2.3")
                .setSecureTransport(true).setAccessKeyId("LTAI5tSomeoneElses01").build();
        send(own, forged, now);

        Map<String, StopResult> results = awaitResults(List.of(allowed, otherAccount, root, forged));
        assertEquals(Outcome.ACCEPTED, results.get(allowed.getRequestId()).getOutcome(), results.toString());
        for (StopCommand refused : List.of(otherAccount, root)) {
            StopResult r = results.get(refused.getRequestId());
            assertEquals("Forbidden.AsyncProducer", r.getCode(), r.toString());
            assertEquals(403, r.getHttpStatus());
        }
        assertEquals("Forbidden", results.get(forged.getRequestId()).getCode(), results.toString());
        AuditRecord forgedAudit = awaitAudit(forged.getRequestId());
        assertNull(forgedAudit.getCommand().getSourceIp());
        assertFalse(forgedAudit.getCommand().getSecureTransport());
        assertNull(forgedAudit.getCommand().getAccessKeyId());

        // its timestamp: the broker refuses one dated beyond the command topics' bound, back or ahead
        for (long ts : List.of(now - Duration.ofMinutes(10).toMillis(), now + Duration.ofMinutes(10).toMillis())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> send(own, command("dated-" + ts, A, arn(A, "user/live-ops"), "job-a2").build(), ts));
            assertInstanceOf(InvalidTimestampException.class, e.getCause(), e.toString());
        }

        // no WRITE on the adapter's stop-commands, nor on another producer's topic
        for (String topic : List.of(topics.stopCommands(), topics.asyncCommands("other"))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> send(topic, command("elsewhere", B, arn(B, "root"), "job-b1").build(), now));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), topic + ": " + e);
        }
    }

    private static StopCommand.Builder command(String name, String account, String principal, String job) {
        return StopCommand.newBuilder().setRequestId(name + "-" + UUID.randomUUID()).setAccountId(account)
                .setPrincipal(principal).setClusterId(CLUSTER).setJobId(job).setRequestTime(Instant.now()).setReplyTo("billing");
    }

    private static String arn(String account, String principal) {
        return Seed.principalArn(account, principal);
    }

    private void send(String topic, StopCommand c, long timestamp) throws Exception {
        billing.send(new ProducerRecord<>(topic, null, timestamp, c.getAccountId(), AvroSerdes.stopCommand().serialize(topic, c)))
                .get(30, TimeUnit.SECONDS);
    }

    /** The decision of each command, read from stop-results as the admin (a super user). */
    private Map<String, StopResult> awaitResults(List<StopCommand> commands) {
        Map<String, StopResult> results = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = adminConsumer()) {
            consumer.subscribe(List.of(topics.stopResults()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    results.put(r.key(), AvroSerdes.stopResult().deserialize(r.topic(), r.value()));
                }
                return commands.stream().allMatch(c -> results.containsKey(c.getRequestId()));
            });
        }
        return results;
    }

    private AuditRecord awaitAudit(String requestId) {
        Map<String, AuditRecord> found = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = adminConsumer()) {
            consumer.subscribe(List.of(topics.audit()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    AuditRecord a = AvroSerdes.auditRecord().deserialize(r.topic(), r.value());
                    found.put(a.getRequestId(), a);
                }
                return found.containsKey(requestId);
            });
        }
        return found.get(requestId);
    }

    private KafkaConsumer<String, byte[]> adminConsumer() {
        Properties p = clientProperties("admin");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "admin-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** A principal's client settings: SCRAM for the components and producers, PLAIN for the admin (a super user). */
    private Properties clientProperties(String user) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        if (user.equals("admin")) {
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", SecuredClusterTest.plainJaas("admin", SecuredClusterTest.ADMIN_PASSWORD));
        } else {
            p.put("sasl.mechanism", "SCRAM-SHA-256");
            p.put("sasl.jaas.config", SecuredClusterTest.scramJaas(user, SecuredClusterTest.password(user)));
        }
        return p;
    }

    private Path clientFile(String user) throws Exception {
        Path f = dir.resolve(user + ".properties");
        try (var w = Files.newBufferedWriter(f)) {
            Properties p = clientProperties(user);
            p.remove("bootstrap.servers");
            p.store(w, null);
        }
        return f;
    }

    private int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-b", broker.bootstrapServers(), "--topic-prefix", topics.prefix()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeStopCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        if (code != 0) {
            System.err.println(String.join(" ", args) + ": " + out + err);
        }
        return code;
    }
}
