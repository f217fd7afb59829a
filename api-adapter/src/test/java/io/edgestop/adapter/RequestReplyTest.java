package io.edgestop.adapter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.schema.StopCommand;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/**
 * Request/reply over a real broker with the test playing the orchestrator: two adapter instances
 * answer concurrent callers, each with exactly its own result; late results are dropped and
 * counted; follow-up (COMPLETED) results and results addressed to other instances are ignored.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestReplyTest {

    static final int PARTITIONS = 3;
    KafkaBroker broker;
    Topics topics;
    FakeOrchestrator orchestrator;
    ApiAdapter a;
    ApiAdapter b;

    @BeforeAll
    void setUp(KafkaBroker broker) {
        this.broker = broker;
        topics = new Topics(broker.uniquePrefix());
        broker.createTopic(topics.stopCommands(), PARTITIONS);
        broker.createTopic(topics.stopResults(), PARTITIONS);
        orchestrator = new FakeOrchestrator(broker.bootstrapServers(), topics, PARTITIONS);
        a = start("adapter-a", 10_000);
        b = start("adapter-b", 10_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.ready() && b.ready());
    }

    ApiAdapter start(String id, int timeoutMs) {
        return start(id, timeoutMs, Map.of());
    }

    ApiAdapter start(String id, int timeoutMs, Map<String, String> more) {
        Map<String, String> m = new HashMap<>(more);
        m.put("bootstrap.servers", broker.bootstrapServers());
        m.put("topic.prefix", topics.prefix());
        m.put("http.host", "127.0.0.1");
        m.put("instance.id", id);
        m.put("reply.timeout.ms", Integer.toString(timeoutMs));
        m.put("admin.port", "0");
        return ApiAdapter.start(AdapterConfig.fromMap(m), TestSupport.credentials());
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, orchestrator}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    record Call(int i, ApiAdapter via, String jobId, boolean v3, long startMillis) {
    }

    @Test
    void twoInstancesConcurrentCallersEachGetTheirOwnResult() throws Exception {
        assertEquals(200, TestSupport.get(a.baseUrl(), "/readyz").status());
        StopJobClient ca = new StopJobClient(a.baseUrl(), TestSupport.KEY_ID, TestSupport.SECRET);
        StopJobClient cb = new StopJobClient(b.baseUrl(), TestSupport.KEY_ID, TestSupport.SECRET);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        Map<String, Call> calls = new java.util.concurrent.ConcurrentHashMap<>();
        int n = 80;
        try {
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(CompletableFuture.runAsync(() -> {
                    boolean viaA = k % 2 == 0;
                    boolean v3 = (k / 2) % 2 == 0;
                    String job = (k % 5 == 0 ? "missing-" : "ok-") + k + " /+*~=ü";
                    String cluster = "cluster-" + (k % 3);
                    Call call = new Call(k, viaA ? a : b, job, v3, System.currentTimeMillis());
                    StopJobClient c = viaA ? ca : cb;
                    StopJobClient.HttpResult r = v3 ? c.stopV3(cluster, job) : c.stopV1(cluster, job);
                    JsonNode body = readJson(r.body());
                    String requestId = body.get("RequestId").asText();
                    calls.put(requestId, call);
                    if (job.startsWith("missing")) {
                        assertEquals(404, r.status(), r.body());
                        assertEquals("JobNotFound", body.get("Code").asText());
                        assertTrue(body.get("Message").asText().contains(job), r.body());
                    } else {
                        assertEquals(200, r.status(), r.body());
                        assertEquals(job, body.get("JobId").asText(), "caller " + k + " got someone else's result");
                        assertEquals(2, body.size(), r.body());
                    }
                    assertTrue(requestId.matches("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"), requestId);
                }, pool));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(n, calls.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.commands.size() >= n);
        for (ConsumerRecord<String, StopCommand> rec : orchestrator.commands) {
            StopCommand cmd = rec.value();
            Call call = calls.get(cmd.getRequestId());
            if (call == null) {
                continue; // another test's command
            }
            assertEquals(TestSupport.ACCOUNT, rec.key());
            assertEquals(TestSupport.ACCOUNT, cmd.getAccountId());
            assertEquals(TestSupport.PRINCIPAL, cmd.getPrincipal());
            assertEquals(TestSupport.KEY_ID, cmd.getAccessKeyId());
            assertEquals(call.via().instanceId(), cmd.getReplyTo());
            assertEquals(call.jobId(), cmd.getJobId());
            assertEquals("127.0.0.1", cmd.getSourceIp());
            assertFalse(cmd.getSecureTransport());
            assertNotNull(cmd.getSignatureNonce());
            assertTrue(rec.timestamp() >= call.startMillis() - 5 && rec.timestamp() <= System.currentTimeMillis(),
                    "record timestamp is the arrival time");
            assertTrue(Math.abs(cmd.getRequestTime().toEpochMilli() - call.startMillis()) < 2_000);
        }
        // COMPLETED follow-ups and decoys addressed to other instances are never counted as late
        String metrics = TestSupport.get(a.adminUrl(), "/metrics").body();
        await().atMost(Duration.ofSeconds(5)).until(() -> TestSupport.get(a.adminUrl(), "/metrics").body()
                .contains("edgestop_adapter_results_ignored_total{reason=\"follow_up\"}"));
        assertTrue(metrics.contains("edgestop_adapter_requests_total{action=\"StopEdgeTranscodeJob\",code=\"Success\",status=\"200\"}"), metrics);
        assertEquals(0.0, a.lateReplies());
        assertEquals(0.0, b.lateReplies());
        assertEquals(0, a.pendingReplies());
        assertEquals(0, b.pendingReplies());
    }

    @Test
    void timeoutAnswers503AndTheLateResultIsDroppedAndCounted() {
        try (ApiAdapter c = start("adapter-c", 800)) {
            await().atMost(Duration.ofSeconds(30)).until(c::ready);
            StopJobClient client = new StopJobClient(c.baseUrl(), TestSupport.KEY_ID, TestSupport.SECRET);
            StopJobClient.HttpResult r = client.stopV1("cluster-1", "slow-1");
            assertEquals(503, r.status(), r.body());
            JsonNode body = readJson(r.body());
            assertEquals("ServiceUnavailable", body.get("Code").asText());
            assertTrue(body.get("Message").asText().contains("stop-results"), r.body());
            assertFalse(body.get("RequestId").asText().isEmpty());
            assertEquals(0, c.pendingReplies());
            await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.holds("slow-1"));
            orchestrator.release("slow-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.lateReplies() == 1.0);
            assertEquals(0, c.pendingReplies());
            assertTrue(TestSupport.get(c.adminUrl(), "/metrics").body().contains("edgestop_adapter_reply_timeouts_total 1.0"));
        }
    }

    @Test
    void closeAnswersInFlightRequests() throws Exception {
        ApiAdapter d = start("adapter-d", 10_000);
        await().atMost(Duration.ofSeconds(30)).until(d::ready);
        StopJobClient client = new StopJobClient(d.baseUrl(), TestSupport.KEY_ID, TestSupport.SECRET);
        CompletableFuture<StopJobClient.HttpResult> inFlight = CompletableFuture.supplyAsync(() -> client.stopV3("cluster-2", "slow-2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.holds("slow-2"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(d::close);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !closing.isDone());
        orchestrator.release("slow-2");
        StopJobClient.HttpResult r = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r.body());
        assertEquals("slow-2", readJson(r.body()).get("JobId").asText());
        closing.get(10, TimeUnit.SECONDS);
    }

    /**
     * Closing drains before it stops accepting: a call on a keep-alive connection left idle from before the close, and
     * one on a new connection, are still decided, each answer retiring its connection; the drain ends as soon as no
     * connection is open, long before {@code shutdown.drain.ms}. Closing at once would have answered the first 503 and,
     * a second later, closed that idle connection under whatever call came next.
     */
    @Test
    void closeDrainsConnectionsBeforeItStopsAccepting() throws Exception {
        ApiAdapter e = start("adapter-e", 10_000, Map.of("shutdown.drain.ms", "120000"));
        await().atMost(Duration.ofSeconds(30)).until(e::ready);
        int port = e.port();
        CompletableFuture<Void> closing;
        try (TestSupport.KeepAliveConnection idle = new TestSupport.KeepAliveConnection(port)) {
            TestSupport.KeptAnswer before = idle.stop("cluster-1", "ok-drain-1");
            assertEquals(200, before.status(), before.body());
            assertFalse(before.closesConnection());
            closing = CompletableFuture.runAsync(e::close);
            await().atMost(Duration.ofSeconds(10)).until(() -> !e.ready());
            try (TestSupport.KeepAliveConnection fresh = new TestSupport.KeepAliveConnection(port)) {
                TestSupport.KeptAnswer onIdle = idle.stop("cluster-1", "ok-drain-2");
                assertEquals(200, onIdle.status(), onIdle.body());
                assertEquals("ok-drain-2", readJson(onIdle.body()).get("JobId").asText());
                assertTrue(onIdle.closesConnection());
                assertTrue(idle.closedByServer());
                assertFalse(closing.isDone(), "a connection is still open: the drain goes on");

                TestSupport.KeptAnswer onNew = fresh.stop("cluster-1", "ok-drain-3");
                assertEquals(200, onNew.status(), onNew.body());
                assertTrue(onNew.closesConnection());
                assertTrue(fresh.closedByServer());
            }
        }
        closing.get(20, TimeUnit.SECONDS);
    }

    /** A client that keeps a connection open and never sends holds the close for {@code shutdown.drain.ms}, no longer. */
    @Test
    void aConnectionNobodyUsesHoldsTheCloseForTheDrainOnly() throws Exception {
        ApiAdapter f = start("adapter-f", 10_000, Map.of("shutdown.drain.ms", "400"));
        await().atMost(Duration.ofSeconds(30)).until(f::ready);
        try (TestSupport.KeepAliveConnection idle = new TestSupport.KeepAliveConnection(f.port())) {
            assertEquals(200, idle.stop("cluster-1", "ok-drain-4").status());
            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(f::close);
            closing.get(20, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(400).toNanos(), "closed before the drain ended");
            assertTrue(idle.closedByServer());
        }
    }

    /** The asynchronous-caller example (docs/async-api.md), against this test's broker and topics. */
    @Test
    void asyncCallerExampleFromTheReadme() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        List<String> seen = new ArrayList<>();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), AvroSerdes.stopCommand().serializer());
             var consumer = new KafkaConsumer<>(p, new StringDeserializer(), AvroSerdes.stopResult().deserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.stopResults()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            String requestId = UUID.randomUUID().toString().toUpperCase();
            StopCommand cmd = StopCommand.newBuilder().setRequestId(requestId).setAccountId("1234567890")
                    .setPrincipal("acs:ram::1234567890:user/batch").setClusterId("cluster-1").setJobId("job-1")
                    .setRequestTime(Instant.now()).setReplyTo("batch-service").build();
            producer.send(new ProducerRecord<>(topics.stopCommands(), cmd.getAccountId(), cmd)).get();
            long deadline = System.currentTimeMillis() + 30_000;
            for (boolean done = false; !done && System.currentTimeMillis() < deadline; ) {
                for (var rec : consumer.poll(Duration.ofMillis(200))) {
                    StopResult r = rec.value();
                    if (requestId.equals(r.getRequestId()) && "batch-service".equals(r.getReplyTo())) {
                        seen.add(r.getOutcome().toString());
                        done = r.getOutcome() != Outcome.ACCEPTED;
                    }
                }
            }
        }
        assertEquals(List.of("ACCEPTED", "COMPLETED"), seen);
    }

    /** secureTransport / sourceIp from a trusted proxy's forwarding headers, and an XML success body. */
    @Test
    void trustedProxyHeadersAndXmlSuccess() {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", broker.bootstrapServers());
        m.put("topic.prefix", topics.prefix());
        m.put("http.host", "127.0.0.1");
        m.put("instance.id", "adapter-proxied");
        m.put("trusted.proxies", "127.0.0.0/8");
        try (ApiAdapter p = ApiAdapter.start(AdapterConfig.fromMap(m), TestSupport.credentials())) {
            await().atMost(Duration.ofSeconds(30)).until(p::ready);
            Map<String, String> params = TestSupport.v1Params("cluster-x", "ok-xml", null);
            params.put("Format", "XML");
            TestSupport.Answer r = TestSupport.send(java.net.http.HttpRequest.newBuilder(
                            p.baseUrl().resolve("/?" + TestSupport.signedQuery("GET", params)))
                    .header("X-Forwarded-For", "203.0.113.7, 127.0.0.5")
                    .header("X-Forwarded-Proto", "https").GET().build());
            assertEquals(200, r.status(), r.body());
            assertEquals("text/xml;charset=utf-8", r.contentType());
            assertTrue(r.body().matches("<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?><StopEdgeTranscodeJobResponse>"
                    + "<RequestId>[0-9A-F-]{36}</RequestId><JobId>ok-xml</JobId></StopEdgeTranscodeJobResponse>"), r.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.commands.stream()
                    .anyMatch(c -> "ok-xml".equals(c.value().getJobId())));
            StopCommand cmd = orchestrator.commands.stream().map(ConsumerRecord::value)
                    .filter(c -> "ok-xml".equals(c.getJobId())).findFirst().orElseThrow();
            assertTrue(cmd.getSecureTransport());
            assertEquals("203.0.113.7", cmd.getSourceIp());
        }
    }

    static JsonNode readJson(String s) {
        try {
            return TestSupport.JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }
}
