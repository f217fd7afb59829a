package io.edgestop.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.edge.EdgeWorker;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.SimulatedJobController;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.JobStatus;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.Topics;

/**
 * The whole stack and every CLI command against a broker that authenticates (SASL SCRAM-SHA-256)
 * and authorizes (ACLs, nothing allowed without one), each with a principal of its own holding
 * only the ACLs the table of docs/operations.md lists; then a wrong password and a missing ACL, which fail
 * fast with a message naming the cause.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredClusterTest {

    static final String ADMIN_PASSWORD = "admin-secret-7f3";
    private static final String APP_ID = "secured-orchestrator";
    private static final String WRONG_PASSWORD = "not-the-password";
    private static final List<String> USERS = List.of("orchestrator", "adapter", "edge", "operator", "auditor");

    private KafkaBroker broker;
    private Topics topics;
    private Seed seed;
    private Seed.Example example;
    private Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final PasswordWatch passwords = new PasswordWatch();
    /** Everything the CLI printed in this test, searched for passwords at the end. */
    private final List<String> printed = new ArrayList<>();

    /** Every log event of the run (Kafka's own config dumps at INFO included), searched for the SASL passwords. */
    static final class PasswordWatch extends AppenderBase<ILoggingEvent> {
        final List<String> leaks = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent e) {
            StringBuilder text = new StringBuilder(String.valueOf(e.getFormattedMessage()));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            leaked(text.toString()).forEach(p -> leaks.add(e.getLoggerName() + " " + e.getLevel() + " shows " + p));
        }
    }

    /** The passwords of the run that appear in {@code text}. */
    static List<String> leaked(String text) {
        List<String> all = new ArrayList<>(List.of(ADMIN_PASSWORD, WRONG_PASSWORD));
        for (String user : USERS) {
            all.add(password(user));
        }
        return all.stream().filter(text::contains).toList();
    }

    /** An in-process broker that authenticates (SCRAM, PLAIN for the admin) and allows nothing without an ACL. */
    static KafkaBroker securedBroker() {
        return KafkaBroker.inProcess(Map.ofEntries(
                // clients on the broker listener authenticate; the controller listener stays PLAINTEXT in-process
                Map.entry("listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-256,PLAIN"),
                // the broker's own connections and the test's admin use PLAIN: SCRAM users exist only once created
                Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                Map.entry("listener.name.external.plain.sasl.jaas.config", plainJaas("admin", ADMIN_PASSWORD)
                        .replace(";", " user_admin=\"" + ADMIN_PASSWORD + "\";")),
                Map.entry("listener.name.external.scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                // ANONYMOUS: the broker talking to its controller over the PLAINTEXT controller listener
                Map.entry("super.users", "User:admin;User:ANONYMOUS"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("auto.create.topics.enable", "false")));
    }

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        passwords.start();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(passwords);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.edgestop")).setLevel(Level.DEBUG);
        broker = securedBroker();
        topics = new Topics(broker.uniquePrefix());
        seed = Seed.demo();
        example = seed.example().orElseThrow();
        try (Admin admin = Admin.create(adminProperties())) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : USERS) {
                users.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password(user)));
            }
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(LeastPrivilege.acls(topics, APP_ID, seed.clusters())).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(passwords);
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theWholeStackAndEveryCommandWorkWithTheirOwnPrincipalsAndFailFastWithoutThem() throws Exception {
        // topics and seed, each through --kafka-config like an operator would run them
        SecuredClients.Cli topicsRun = cli("topics", "--kafka-config", clientFile("operator").toString(), "--seed", "demo",
                "--partitions", "2");
        assertEquals(0, topicsRun.code(), topicsRun.err());
        SecuredClients.Cli seedRun = cli("seed", "--kafka-config", clientFile("operator").toString(), "demo");
        assertEquals(0, seedRun.code(), seedRun.err());

        // the components, their settings made the way their commands make them
        Map<String, String> oc = settings("orchestrator");
        oc.put("application.id", APP_ID);
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("state.dir", dir.resolve("state").toString());
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        running.add(orchestrator);
        String cluster = example.job().clusterId();
        SimulatedJobController edge = new SimulatedJobController(Duration.ZERO, 0, 1, true, java.time.Clock.systemUTC());
        seed.jobs().stream().filter(j -> j.clusterId().equals(cluster) && Seed.statusOf(j) == JobStatus.RUNNING)
                .forEach(j -> edge.addRunningJob(cluster, j.jobId()));
        Map<String, String> wc = settings("edge");
        wc.put("cluster.id", cluster);
        EdgeWorker worker = EdgeWorker.start(EdgeWorkerConfig.fromMap(wc), edge);
        running.add(worker);
        Map<String, String> ac = settings("adapter");
        ac.put("http.host", "127.0.0.1");
        ac.put("http.port", "0");
        ApiAdapter adapter = ApiAdapter.start(AdapterConfig.fromMap(ac), new InMemoryCredentialStore(seed.adapterCredentials()));
        running.add(adapter);
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(60)), "orchestrator " + orchestrator.state());
        assertTrue(worker.awaitAssigned(Duration.ofSeconds(30)), "worker assigned: " + worker.failure());
        await().atMost(Duration.ofSeconds(30)).until(adapter::ready);

        SecuredClients.Cli call = cli("call", "--endpoint", adapter.baseUrl().toString(),
                "--access-key-id", example.credential().accessKeyId(),
                "--access-key-secret-file", Files.writeString(dir.resolve("example.secret"), example.credential().accessKeySecret()).toString(),
                "--cluster-id", cluster, "--job-id", example.job().jobId());
        assertEquals(0, call.code(), call.out() + call.err());
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.status(cluster, example.job().jobId()).orElse(null) == JobStatus.STOPPED);

        SecuredClients.Cli tail = cli("tail", "audit", "--from-beginning", "--max-records", "1", "--idle-timeout-ms", "20000",
                "--kafka-config", clientFile("auditor").toString());
        assertEquals(0, tail.code(), tail.err());
        assertTrue(tail.out().contains(example.job().jobId()), tail.out());

        // a wrong password: refused at once, naming authentication, for a command and for a component
        long t0 = System.nanoTime();
        SecuredClients.Cli wrong = cli("topics", "--kafka-config", clientFile("operator").toString(),
                "--kafka", "sasl.jaas.config=" + scramJaas("operator", WRONG_PASSWORD));
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().startsWith("edge-stop topics: Kafka authentication failed (SaslAuthenticationException)"), wrong.err());
        assertEquals(1, wrong.err().lines().count(), wrong.err());
        assertFalse(wrong.err().contains(WRONG_PASSWORD), wrong.err());
        Map<String, String> bad = settings("edge");
        bad.put("cluster.id", cluster);
        bad.put("kafka.sasl.jaas.config", scramJaas("edge", WRONG_PASSWORD));
        EdgeWorker refused = EdgeWorker.start(EdgeWorkerConfig.fromMap(bad), edge);
        running.add(refused);
        assertTrue(refused.awaitStopped(Duration.ofSeconds(20)), "the worker stops instead of retrying");
        assertInstanceOf(SaslAuthenticationException.class, refused.failure());
        SecuredClients.Cli refusedOrchestrator = cli("orchestrator", "--kafka-config", clientFile("orchestrator").toString(),
                "--kafka", "sasl.jaas.config=" + scramJaas("orchestrator", WRONG_PASSWORD),
                "--application-id", APP_ID, "--state-dir", dir.resolve("refused-state").toString(), "--replication-factor", "1");
        assertEquals(1, refusedOrchestrator.code());
        assertTrue(refusedOrchestrator.err().startsWith("edge-stop orchestrator: Kafka authentication failed (SaslAuthenticationException)"),
                refusedOrchestrator.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 30, "failed fast");

        // a config print never shows a password
        for (String text : List.of(OrchestratorConfig.fromMap(oc).toString(), AdapterConfig.fromMap(ac).toString(),
                EdgeWorkerConfig.fromMap(wc).toString())) {
            assertTrue(text.contains("sasl.jaas.config"), text);
            for (String user : List.of("orchestrator", "adapter", "edge")) {
                assertFalse(text.contains(password(user)), text);
            }
        }

        // a missing ACL: the auditor may read the audit trail, not the results
        SecuredClients.Cli denied = cli("tail", "results", "--max-records", "1", "--idle-timeout-ms", "1000",
                "--kafka-config", clientFile("auditor").toString());
        assertEquals(1, denied.code());
        assertTrue(denied.err().startsWith("edge-stop tail: Kafka authorization failed (TopicAuthorizationException)"), denied.err());
        assertTrue(denied.err().contains(topics.stopResults()), denied.err());

        // no SASL password in any log line of the run, nor in anything a command printed
        assertEquals(List.of(), passwords.leaks);
        for (String text : printed) {
            assertEquals(List.of(), leaked(text), text);
        }
    }

    private Map<String, String> settings(String user) throws Exception {
        return SecuredClients.settings(broker, topics, clientFile(user));
    }

    private SecuredClients.Cli cli(String... args) {
        SecuredClients.Cli r = SecuredClients.cli(broker, topics, args);
        printed.add(r.out());
        printed.add(r.err());
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

    static String password(String user) {
        return user + "-pw-" + Integer.toHexString(user.hashCode());
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
