package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.auth.CredentialStore;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.adapter.tls.TestCertificate;
import io.edgestop.api.query.Caller;
import io.edgestop.api.query.GetJobQuery;
import io.edgestop.api.query.JobQueryJson;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * Secrets stay secret: the stack (real broker, real orchestrator, an adapter on a PKCS12 keystore
 * and one on an encrypted PEM key) runs with known access key secrets and keystore / key passwords,
 * serves accepted, rejected, unsigned, wrongly signed and unknown-key calls, and fails to start on a
 * wrong password; then every output is searched for the secrets: every log event of every logger
 * (the project's at DEBUG, Kafka's and Jetty's at INFO, Jetty's TLS at DEBUG) with its exception
 * chain, every record of every topic (keys, values, headers, internal topics included),
 * {@code /metrics}, every HTTP answer, the exception messages, the configuration's
 * {@code toString()} ({@code edge-stop adapter --help} and {@code --print-settings}: the launcher's tests).
 */
@RealKafka
class SecretsStayOutTest {

    static final String ACCOUNT = "3333444455556666";
    static final String CLUSTER = "edge-secret-1";
    static final String OPS_SECRET = "OpsSecretQz7Kp2Lx9Vw";
    static final String INTERN_SECRET = "InternSecretMb4Nc8Rt";
    static final String KEYSTORE_PASSWORD = "KeystorePassHj3Yu6Op";
    static final String KEY_PASSWORD = "PemKeyPassWe5Rt1Zx";
    static final List<String> SECRETS = List.of(OPS_SECRET, INTERN_SECRET, KEYSTORE_PASSWORD, KEY_PASSWORD,
            EndToEndStack.QUERY_TOKEN);

    static final Credential OPS = new Credential("LTAI-secret-ops", OPS_SECRET, ACCOUNT, "acs:ram::" + ACCOUNT + ":user/ops");
    static final Credential INTERN = new Credential("LTAI-secret-intern", INTERN_SECRET, ACCOUNT,
            "acs:ram::" + ACCOUNT + ":user/intern");

    /** Every log event, checked as it happens (the volume is too large to keep). */
    static final class SecretWatch extends AppenderBase<ILoggingEvent> {
        final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        volatile long events;

        @Override
        protected void append(ILoggingEvent e) {
            events++;
            StringBuilder text = new StringBuilder(e.getFormattedMessage() == null ? "" : e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
                for (IThrowableProxy s : t.getSuppressed()) {
                    text.append('\n').append(s.getClassName()).append(": ").append(s.getMessage());
                }
            }
            leaked(text.toString()).forEach(s -> leaks.add(e.getLoggerName() + " " + e.getLevel() + ": " + s));
        }
    }

    static List<String> leaked(String text) {
        return SECRETS.stream().filter(text::contains).toList();
    }

    static void assertNoSecret(String where, String text) {
        assertEquals(List.of(), leaked(text), where + " shows a secret: " + text);
    }

    @Test
    void noSecretInAnyOutput(KafkaBroker broker, @TempDir Path dir) throws Exception {
        Map<String, Level> levels = Map.of("io.edgestop", Level.DEBUG, "org.apache.kafka", Level.INFO,
                "org.eclipse.jetty", Level.INFO, "org.eclipse.jetty.util.ssl", Level.DEBUG);
        Map<String, Level> before = levels.keySet().stream().collect(Collectors.toMap(n -> n,
                n -> logger(n).getLevel() == null ? Level.OFF : logger(n).getLevel()));
        SecretWatch watch = new SecretWatch();
        watch.start();
        Logger root = logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(watch);
        levels.forEach((n, l) -> logger(n).setLevel(l));
        List<String> outputs = new ArrayList<>();
        String prefix;
        String applicationId;
        try (EndToEndStack stack = EndToEndStack.orchestrator(broker, dir.resolve("state"), CLUSTER)) {
            prefix = stack.topics.prefix();
            applicationId = stack.applicationId();
            stack.seed(ACCOUNT, OPS.principal(), "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":[\"live:StopEdgeTranscodeJob\",\"live:GetEdgeTranscodeJob\"],\"Resource\":\"*\"}]}",
                    List.of("job-1", "job-2"));
            TestCertificate cert = TestCertificate.create("adapter");
            Path keystore = cert.writePkcs12(dir.resolve("adapter.p12"), KEYSTORE_PASSWORD.toCharArray());
            Path chain = cert.writeCertificatePem(dir.resolve("tls.crt"));
            Path key = cert.writeEncryptedKeyPem(dir.resolve("tls.key"), KEY_PASSWORD.toCharArray());
            CredentialStore store = new InMemoryCredentialStore(List.of(OPS, INTERN));
            outputs.add(store.toString());

            Map<String, String> p12 = stack.adapterSettings("secret-p12");
            p12.putAll(Map.of("tls.keystore.path", keystore.toString(), "tls.keystore.password", KEYSTORE_PASSWORD,
                    "admin.port", "0"));
            Map<String, String> pem = stack.adapterSettings("secret-pem");
            pem.putAll(Map.of("tls.certificate.path", chain.toString(), "tls.key.path", key.toString(),
                    "tls.key.password", KEY_PASSWORD));
            outputs.add(AdapterConfig.fromMap(p12).toString());
            outputs.add(AdapterConfig.fromMap(pem).toString());
            // an adapter whose job query token is not the orchestrators'
            Map<String, String> wrongToken = with(p12, "query.token", "not-the-query-token");
            wrongToken.put("instance.id", "secret-wrong-token");

            // wrong passwords: the start fails, and neither the message nor a cause names a password
            for (Map<String, String> wrong : List.of(with(p12, "tls.keystore.password", KEY_PASSWORD),
                    with(pem, "tls.key.password", KEYSTORE_PASSWORD))) {
                Exception e = assertThrows(Exception.class, () -> ApiAdapter.start(AdapterConfig.fromMap(wrong), store).close());
                for (Throwable t = e; t != null; t = t.getCause()) {
                    outputs.add(t.toString());
                }
            }

            try (ApiAdapter a = ApiAdapter.start(AdapterConfig.fromMap(p12), store);
                 ApiAdapter b = ApiAdapter.start(AdapterConfig.fromMap(pem), store);
                 ApiAdapter c = ApiAdapter.start(AdapterConfig.fromMap(wrongToken), store)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> a.ready() && b.ready() && c.ready());
                try (SdkOverHttps ops = new SdkOverHttps(OPS.accessKeyId(), OPS_SECRET, cert)) {
                    assertEquals("job-1", ops.stop(a.port(), false, CLUSTER, "job-1").getJobId());
                    assertEquals("job-2", ops.stop(b.port(), true, CLUSTER, "job-2").getJobId());
                    assertEquals("JobNotFound", ops.errorCode(a.port(), false, CLUSTER, "job-missing"));
                }
                try (SdkOverHttps ops = new SdkOverHttps(OPS.accessKeyId(), OPS_SECRET, cert)) {
                    // job queries: with the token, and without it (the orchestrator refuses; the caller sees InternalError)
                    await().atMost(Duration.ofSeconds(30)).until(() -> "OK".equals(ops.getErrorCode(a.port(), CLUSTER, "job-1")));
                    assertEquals("InternalError", ops.getErrorCode(c.port(), CLUSTER, "job-1"));
                }
                HttpClient plain = HttpClient.newHttpClient();
                byte[] query = JobQueryJson.write(new GetJobQuery(new Caller(ACCOUNT, OPS.principal(), null, false, null, null, null, null),
                        CLUSTER, "job-1"));
                String signed = io.edgestop.ops.QueryToken.fromSettings(Map.of(io.edgestop.ops.QueryToken.SETTING,
                        EndToEndStack.QUERY_TOKEN)).orElseThrow().authorization("POST", "/jobs", query);
                for (String authorization : List.of(signed, "Bearer " + EndToEndStack.QUERY_TOKEN, "Bearer wrong")) {
                    HttpResponse<String> r = plain.send(HttpRequest.newBuilder(stack.queryUrl(0).resolve("/jobs"))
                            .header("Content-Type", JobQueryJson.MEDIA_TYPE)
                            .header("Authorization", authorization)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(query)).build(), HttpResponse.BodyHandlers.ofString());
                    outputs.add("query -> " + r.statusCode() + " " + r.headers().map() + " " + r.body());
                }
                try (SdkOverHttps intern = new SdkOverHttps(INTERN.accessKeyId(), INTERN_SECRET, cert)) {
                    assertEquals("Forbidden", intern.errorCode(b.port(), false, CLUSTER, "job-1"));
                }
                try (SdkOverHttps wrong = new SdkOverHttps(OPS.accessKeyId(), "not-the-secret", cert)) {
                    assertEquals("SDK.InvalidAccessKeySecret", wrong.errorCode(a.port(), true, CLUSTER, "job-1"));
                }
                try (SdkOverHttps unknown = new SdkOverHttps("LTAI-nobody", OPS_SECRET, cert)) {
                    assertEquals("InvalidAccessKeyId.NotFound", unknown.errorCode(a.port(), false, CLUSTER, "job-1"));
                }
                HttpClient https = HttpClient.newBuilder().sslContext(cert.clientContext()).build();
                for (ApiAdapter adapter : List.of(a, b, c)) {
                    for (String path : List.of("/metrics", "/readyz", "/healthz", "/?Action=StopEdgeTranscodeJob",
                            "/?Action=StopEdgeTranscodeJob&Version=2016-11-01&ClusterId=c&JobId=j&AccessKeyId="
                                    + OPS.accessKeyId() + "&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0"
                                    + "&SignatureNonce=n1&Timestamp=2020-01-01T00:00:00Z&Signature=AAAA")) {
                        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(
                                "https://localhost:" + adapter.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
                        outputs.add(path + " -> " + r.statusCode() + " " + r.headers().map() + " " + r.body());
                    }
                    if (adapter.adminUrl() != null) { // the metrics live on the admin port
                        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                adapter.adminUrl().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode());
                        outputs.add("admin /metrics -> " + r.body());
                    }
                }
            }
        } finally {
            root.detachAppender(watch);
            before.forEach((n, l) -> logger(n).setLevel(l == Level.OFF ? null : l));
        }

        for (String o : outputs) {
            assertNoSecret("output", o);
        }
        assertTrue(watch.events > 100, "the logs were watched: " + watch.events + " events");
        assertEquals(List.of(), watch.leaks, "log events with a secret");
        long records = assertNoSecretInAnyRecord(broker, prefix, applicationId);
        assertTrue(records >= 10, "the topics were read: " + records + " records");
    }

    /** Reads every record of every topic of this stack (its prefix, and the orchestrator's internal topics). */
    static long assertNoSecretInAnyRecord(KafkaBroker broker, String prefix, String applicationId) throws Exception {
        Set<String> topics;
        try (Admin admin = broker.admin()) {
            topics = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(prefix) || t.startsWith(applicationId + "-"))
                    .collect(Collectors.toSet());
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"); // aborted writes too
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                c.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "read every topic to its end");
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    n++;
                    StringBuilder text = new StringBuilder(r.topic()).append(' ');
                    append(text, r.key());
                    append(text, r.value());
                    for (Header h : r.headers()) {
                        text.append(h.key()).append('=');
                        append(text, h.value());
                    }
                    assertNoSecret("record " + r.topic() + "/" + r.partition() + "@" + r.offset(), text.toString());
                }
            }
        }
        return n;
    }

    private static void append(StringBuilder text, byte[] bytes) {
        if (bytes != null) {
            text.append(new String(bytes, StandardCharsets.ISO_8859_1)).append(' '); // byte for byte: Avro strings are UTF-8
        }
    }

    private static Map<String, String> with(Map<String, String> m, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(m);
        copy.put(key, value);
        return copy;
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
