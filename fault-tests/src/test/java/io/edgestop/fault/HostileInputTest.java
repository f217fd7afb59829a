package io.edgestop.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;

/**
 * Malformed and hostile input at volume, on a real broker with one orchestrator and two adapters:
 * poison records on every input topic interleaved with valid commands, and garbage, oversized,
 * replayed, forged and clock-skewed HTTP requests interleaved with valid calls.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    static final int POISON_ROUNDS = 120;   // x 5 topics x 4 kinds of poison = 2,400 poison records
    static final int VALID_PER_ROUND = 8;   // 960 valid commands in between
    static final int HTTP_ROUNDS = 40;

    private String bootstrap;
    private Scenario s;
    private Path stateDir;
    private Orchestrator orchestrator;
    private ApiAdapter adapterA;
    private ApiAdapter adapterB;

    @BeforeAll
    void start(KafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        s = new Scenario(broker.uniquePrefix(), 2_000);
        s.provision(bootstrap);
        s.seed(bootstrap);
        stateDir = Files.createTempDirectory("fault-hostile");
        orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(s.orchestratorSettings(bootstrap,
                "fault-hostile-" + UUID.randomUUID().toString().substring(0, 8), stateDir.toString())));
        InMemoryCredentialStore credentials = new InMemoryCredentialStore(List.of(Http.OK_ROOT));
        adapterA = ApiAdapter.start(AdapterRestartTest.adapterConfig(bootstrap, s, "hostile-a", 0), credentials);
        adapterB = ApiAdapter.start(AdapterRestartTest.adapterConfig(bootstrap, s, "hostile-b", 0), credentials);
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)));
        await().atMost(Duration.ofSeconds(60)).until(() -> adapterA.ready() && adapterB.ready());
    }

    @AfterAll
    void stop() {
        if (adapterA != null) {
            adapterA.close();
        }
        if (adapterB != null) {
            adapterB.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    record Poison(String topic, String kind) {
    }

    @Test
    @Timeout(150)
    void poisonOnEveryInputTopicIsDeadLetteredAndValidCommandsAllDecided() throws Exception {
        long t0 = System.nanoTime();
        Random random = new Random(20261127);
        List<String> inputs = List.of(s.topics.stopCommands(), s.topics.jobState(), s.topics.accountSettings(),
                s.topics.accountPolicies(), s.topics.jobStatusReports(Scenario.clusterOf(0)));
        Map<ByteBuffer, Poison> poison = new HashMap<>();
        Map<String, Scenario.Kind> valid = new HashMap<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Scenario.producerProps(bootstrap))) {
            for (int round = 0; round < POISON_ROUNDS; round++) {
                for (int v = 0; v < VALID_PER_ROUND; v++) {
                    StopCommand c = s.command(Scenario.kindFor(round * VALID_PER_ROUND + v));
                    valid.put(c.getRequestId(), Scenario.kindFor(round * VALID_PER_ROUND + v));
                    acks.add(producer.send(new ProducerRecord<>(s.topics.stopCommands(), c.getAccountId(),
                            AvroSerdes.stopCommand().serialize(s.topics.stopCommands(), c))));
                }
                for (String topic : inputs) {
                    String key = topic.equals(s.topics.jobState()) ? JobKey.of(Scenario.clusterOf(round), Scenario.jobId(round))
                            : s.topics.clusterOfJobStatusReports(topic) != null ? JobKey.of(Scenario.clusterOf(0), Scenario.jobId(round))
                            : Scenario.OK;
                    for (Map.Entry<String, byte[]> p : poisonValues(topic, round, random).entrySet()) {
                        poison.put(ByteBuffer.wrap(p.getValue()), new Poison(topic, p.getKey()));
                        acks.add(producer.send(new ProducerRecord<>(topic, key, p.getValue())));
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        Verifier.awaitDecisions(bootstrap, s, valid.keySet(), Duration.ofSeconds(90));

        // every poison record exactly once on the dead-letter topic, with its origin in the headers
        Map<ByteBuffer, Integer> deadSeen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> deadByTopic = new TreeMap<>();
        await("every poison record dead-lettered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Outputs.readAll(bootstrap, List.of(s.topics.deadLetter())).size() >= poison.size());
        List<ConsumerRecord<String, byte[]>> dead = Outputs.readAll(bootstrap, List.of(s.topics.deadLetter()));
        for (ConsumerRecord<String, byte[]> rec : dead) {
            ByteBuffer value = ByteBuffer.wrap(rec.value());
            Poison p = poison.get(value);
            String origin = header(rec, "__streams.errors.topic");
            if (p == null) {
                problems.add("dead letter that is not one of ours, from " + origin);
                continue;
            }
            deadSeen.merge(value, 1, Integer::sum);
            deadByTopic.merge(origin + " " + p.kind(), 1, Integer::sum);
            if (!p.topic().equals(origin)) {
                problems.add(p + " dead-lettered with origin " + origin);
            }
            if (header(rec, "__streams.errors.exception") == null) {
                problems.add(p + " dead-lettered without the exception header");
            }
        }
        for (Map.Entry<ByteBuffer, Poison> e : poison.entrySet()) {
            int n = deadSeen.getOrDefault(e.getKey(), 0);
            if (n != 1) {
                problems.add(e.getValue() + " is on the dead-letter topic " + n + " times");
            }
        }
        Verifier.settle(bootstrap, s, Verifier.QUIET, Duration.ofSeconds(60));
        Verifier.Report r = Verifier.check(bootstrap, s, valid, true);
        System.out.printf("[hostile kafka] poison=%d (5 topics x %d rounds x 4 kinds), dead letters=%d, valid commands=%d%n",
                poison.size(), POISON_ROUNDS, dead.size(), valid.size());
        System.out.printf("[hostile kafka] dead letters by origin and kind: %s%n", deadByTopic);
        System.out.printf("[hostile kafka] %s; orchestrator %s (%.0f s)%n", r.line(), orchestrator.state(),
                (System.nanoTime() - t0) / 1e9);
        problems.addAll(r.problems());
        assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(20, problems.size())));
        assertEquals(poison.size(), dead.size());
        assertEquals(valid.size(), r.decisions());
        assertEquals(KafkaStreams.State.RUNNING, orchestrator.state());
    }

    /** One hostile (or valid) HTTP request and the answer it must get. */
    record Case(String name, int status, String code) {
    }

    static final Case VALID_V1 = new Case("valid V1", 200, null);
    static final Case VALID_V3 = new Case("valid V3 (other adapter)", 200, null);
    static final Case GARBAGE_QUERY = new Case("garbage query string", 400, "InvalidParameter");
    static final Case NOT_HTTP = new Case("random bytes instead of HTTP", 400, "*");
    static final Case HUGE_HEADER = new Case("64 KiB header", 431, "*");
    static final Case GARBAGE_BODY = new Case("random bytes as form body", 400, "InvalidParameter");
    static final Case OVERSIZED = new Case("128 KiB body", 413, "EntityTooLarge");
    static final Case OVERSIZED_CHUNKED = new Case("128 KiB chunked body", 413, "EntityTooLarge");
    static final Case FIRST_USE = new Case("signed URL, first use", 200, null);
    static final Case REPLAY_SAME = new Case("replay, same adapter", 400, "SignatureNonceUsed");
    static final Case REPLAY_OTHER = new Case("replay, other adapter", 400, "SignatureNonceUsed");
    static final Case WRONG_SIGNATURE = new Case("wrong secret", 400, "SignatureDoesNotMatch");
    static final Case TAMPERED = new Case("JobId changed after signing", 400, "SignatureDoesNotMatch");
    static final Case SKEW_PAST = new Case("Timestamp 20 min behind", 400, "InvalidTimeStamp.Expired");
    static final Case SKEW_FUTURE = new Case("Timestamp 20 min ahead", 400, "InvalidTimeStamp.Expired");
    static final Case UNKNOWN_KEY = new Case("unknown AccessKeyId", 404, "InvalidAccessKeyId.NotFound");

    record Outcome(Case expected, String cluster, String job, Http.Answer answer) {
    }

    @Test
    @Timeout(150)
    void hostileHttpRequestsGetTheirDocumentedCodeAndValidCallsInBetweenSucceed() throws Exception {
        long t0 = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.ConcurrentLinkedQueue<Outcome> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        URI baseA = adapterA.baseUrl();
        URI baseB = adapterB.baseUrl();
        StopJobClient clientA = new StopJobClient(baseA, Http.AK, Http.SECRET);
        StopJobClient clientB = new StopJobClient(baseB, Http.AK, Http.SECRET);
        List<Future<?>> rounds = new ArrayList<>();
        for (int round = 0; round < HTTP_ROUNDS; round++) {
            int rn = round;
            rounds.add(pool.submit(() -> {
                Random random = new Random(rn);
                int j = s.takeJob();
                outcomes.add(new Outcome(VALID_V1, Scenario.clusterOf(j), Scenario.jobId(j),
                        Http.call(clientA, false, Scenario.clusterOf(j), Scenario.jobId(j))));
                outcomes.add(new Outcome(GARBAGE_QUERY, null, null, Http.raw(baseA, ("GET /?Action=StopEdgeTranscodeJob&%zz%%="
                        + rn + "&JobId=%E0%A4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1))));
                byte[] junk = new byte[512];
                random.nextBytes(junk);
                junk[0] = (byte) 0xFF;
                byte[] notHttp = java.util.Arrays.copyOf(junk, junk.length + 4);
                System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, notHttp, junk.length, 4);
                outcomes.add(new Outcome(NOT_HTTP, null, null, Http.raw(baseA, notHttp)));
                outcomes.add(new Outcome(HUGE_HEADER, null, null, Http.raw(baseA, ("GET /?Action=StopEdgeTranscodeJob HTTP/1.1\r\n"
                        + "Host: x\r\nX-Junk: " + "j".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1))));
                junk[0] = (byte) 0xFF; // never valid UTF-8
                outcomes.add(new Outcome(GARBAGE_BODY, null, null, Http.send(HttpRequest.newBuilder(baseA)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(junk)).timeout(Duration.ofSeconds(30)).build())));
                // oversized requests on their own connections: see oversizedAnswerTellsTheClientTheConnectionIsClosed
                outcomes.add(new Outcome(OVERSIZED, null, null, Http.raw(baseA, Http.rawPost(128 * 1024, false))));
                outcomes.add(new Outcome(OVERSIZED_CHUNKED, null, null, Http.raw(baseA, Http.rawPost(128 * 1024, true))));

                int k = s.takeJob();
                String cluster = Scenario.clusterOf(k);
                String job = Scenario.jobId(k);
                URI once = Http.signedV1(baseA, Http.AK, Http.SECRET, Instant.now(), null, cluster, job);
                outcomes.add(new Outcome(FIRST_USE, cluster, job, Http.get(once)));
                outcomes.add(new Outcome(REPLAY_SAME, cluster, job, Http.get(once)));
                outcomes.add(new Outcome(REPLAY_OTHER, cluster, job, Http.get(URI.create(once.toString()
                        .replace(":" + baseA.getPort() + "/", ":" + baseB.getPort() + "/")))));
                outcomes.add(new Outcome(WRONG_SIGNATURE, null, null, Http.get(Http.signedV1(baseA, Http.AK,
                        "not-the-secret", Instant.now(), null, cluster, job))));
                outcomes.add(new Outcome(TAMPERED, null, null, Http.get(URI.create(Http.signedV1(baseA, Http.AK, Http.SECRET,
                        Instant.now(), null, cluster, job).toString().replace("JobId=" + job, "JobId=" + job + "0")))));
                outcomes.add(new Outcome(SKEW_PAST, null, null, Http.get(Http.signedV1(baseA, Http.AK, Http.SECRET,
                        Instant.now().minus(Duration.ofMinutes(20)), null, cluster, job))));
                outcomes.add(new Outcome(SKEW_FUTURE, null, null, Http.get(Http.signedV1(baseA, Http.AK, Http.SECRET,
                        Instant.now().plus(Duration.ofMinutes(20)), null, cluster, job))));
                outcomes.add(new Outcome(UNKNOWN_KEY, null, null, Http.get(Http.signedV1(baseA, "no-such-key", Http.SECRET,
                        Instant.now(), null, cluster, job))));
                int m = s.takeJob();
                outcomes.add(new Outcome(VALID_V3, Scenario.clusterOf(m), Scenario.jobId(m),
                        Http.call(clientB, true, Scenario.clusterOf(m), Scenario.jobId(m))));
                return null;
            }));
        }
        for (Future<?> f : rounds) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Map<String, Map<String, Integer>> byCase = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Scenario.Kind> decided = new HashMap<>();
        Map<String, Outcome> byRequestId = new HashMap<>();
        for (Outcome o : outcomes) {
            Http.Answer a = o.answer();
            String got = a.io() != null ? "no answer: " + a.io() : a.status() + " " + (a.code() == null ? "OK" : a.code());
            byCase.computeIfAbsent(o.expected().name(), x -> new TreeMap<>()).merge(got, 1, Integer::sum);
            boolean anyCode = "*".equals(o.expected().code());
            if (a.io() != null || a.status() != o.expected().status()
                    || !(anyCode || java.util.Objects.equals(a.code(), o.expected().code()))) {
                problems.add(o.expected().name() + " got " + got + (a.body() == null ? "" : " " + a.body()));
            }
            if (a.requestId() == null && !anyCode) {
                problems.add(o.expected().name() + " answer without RequestId: " + a.body());
            }
            if (a.status() == 200) {
                decided.put(a.requestId(), Scenario.Kind.ACCEPT);
                byRequestId.put(a.requestId(), o);
                if (!o.job().equals(a.jobId())) {
                    problems.add(o.expected().name() + " for " + o.job() + " answered JobId " + a.jobId());
                }
            } else if (o.expected() == REPLAY_OTHER) {
                decided.put(a.requestId(), null); // decided by the orchestrator: SignatureNonceUsed on the topic
                byRequestId.put(a.requestId(), o);
            }
        }
        Verifier.awaitDecisions(bootstrap, s, decided.keySet(), Duration.ofSeconds(60));
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopResults()))) {
            StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
            Outcome o = byRequestId.get(r.getRequestId());
            if (o != null && (!o.job().equals(r.getJobId())
                    || (o.expected() == REPLAY_OTHER) != "SignatureNonceUsed".equals(r.getCode()))) {
                problems.add(o.expected().name() + " " + r.getRequestId() + " has result " + r);
            }
        }
        Verifier.settle(bootstrap, s, Verifier.QUIET, Duration.ofSeconds(60));
        Verifier.Report r = Verifier.check(bootstrap, s, decided, true);
        System.out.printf("[hostile http] %d requests in %d rounds; answers by case: %s%n", outcomes.size(), HTTP_ROUNDS, byCase);
        System.out.printf("[hostile http] %s; orchestrator %s (%.0f s)%n", r.line(), orchestrator.state(),
                (System.nanoTime() - t0) / 1e9);
        problems.addAll(r.problems());
        assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(20, problems.size())));
        assertEquals(KafkaStreams.State.RUNNING, orchestrator.state());
        assertTrue(adapterA.ready() && adapterB.ready());
    }

    /**
     * A keep-alive client (the JDK HttpClient, the SDKs' pooled clients) that sends an oversized body gets
     * 413 EntityTooLarge, then the server closes the connection without saying so: the client puts the
     * connection back in its pool and its next request on it fails with no answer at all
     * ("HTTP/1.1 header parser received no bytes"; not retried for POST).
     */
    @Test
    void oversizedAnswerTellsTheClientTheConnectionIsClosed() throws Exception {
        URI base = adapterA.baseUrl();
        byte[] big = Http.rawPost(128 * 1024, false);
        String request = new String(big, StandardCharsets.ISO_8859_1).replace("Connection: close\r\n", "");
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            assertTrue(status.startsWith("HTTP/1.1 413"), status);
            boolean connectionClose = false;
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                connectionClose |= lower.equals("connection: close");
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                }
            }
            in.skip(length);
            if (connectionClose) {
                return; // the client knows not to reuse the connection
            }
            // no "Connection: close": the connection must then still serve the next request
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String next = in.readLine();
            assertTrue(next != null && next.startsWith("HTTP/1.1 200"),
                    "413 without 'Connection: close', and the next request on the connection got: " + next);
        }
    }

    /** Four poison values for one topic, each unique: random bytes, a record of another schema, a truncated valid record, a forged header. */
    private Map<String, byte[]> poisonValues(String topic, int round, Random random) {
        Map<String, byte[]> out = new TreeMap<>();
        byte[] bytes = new byte[16 + random.nextInt(200)];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0x7f; // never the C3 01 single-object marker
        out.put("random", bytes);
        String id = "poison-" + round + "-" + UUID.randomUUID();
        byte[] wrong = topic.equals(s.topics.stopCommands())
                ? AvroSerdes.stopResult().serialize(topic, StopResult.newBuilder().setRequestId(id).setEventTime(Instant.now()).build())
                : AvroSerdes.auditRecord().serialize(topic, AuditRecord.newBuilder().setAuditId(id).setRequestId(id)
                        .setEventType(AuditEventType.DECISION).setEventTime(Instant.now()).build());
        out.put("wrong-schema", wrong);
        out.put("truncated", truncatedOwn(topic, id));
        byte[] forged = new byte[40];
        random.nextBytes(forged);
        forged[0] = (byte) 0xC3;
        forged[1] = (byte) 0x01; // the marker, with a fingerprint no schema has
        out.put("unknown-fingerprint", forged);
        return out;
    }

    /** A record of the topic's own schema, cut short. */
    private byte[] truncatedOwn(String topic, String id) {
        byte[] full;
        if (topic.equals(s.topics.stopCommands())) {
            full = AvroSerdes.stopCommand().serialize(topic, StopCommand.newBuilder().setRequestId(id).setAccountId(Scenario.OK)
                    .setClusterId("edge-a").setJobId(id).build());
        } else if (topic.equals(s.topics.jobState())) {
            full = AvroSerdes.jobState().serialize(topic, io.edgestop.schema.JobState.newBuilder().setClusterId("edge-a")
                    .setJobId(id).setAccountId(Scenario.OK).setDomainName(Scenario.DOMAIN).setStatus(JobStatus.RUNNING).build());
        } else if (topic.equals(s.topics.accountSettings())) {
            full = AvroSerdes.accountSettings().serialize(topic, io.edgestop.schema.AccountSettings.newBuilder()
                    .setAccountId(id).build());
        } else if (topic.equals(s.topics.accountPolicies())) {
            full = AvroSerdes.accountPolicies().serialize(topic, io.edgestop.schema.AccountPolicies.newBuilder()
                    .setAccountId(id).setPrincipals(new HashMap<>()).build());
        } else {
            full = AvroSerdes.jobStatusReport().serialize(topic, JobStatusReport.newBuilder().setClusterId("edge-a")
                    .setJobId(id).setStatus(JobStatus.STOPPED).setWorkerId("w-" + id).setReportedAt(Instant.now()).build());
        }
        return java.util.Arrays.copyOf(full, full.length - 2);
    }

    private static String header(ConsumerRecord<String, byte[]> rec, String name) {
        Header h = rec.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
