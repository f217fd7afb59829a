package io.edgestop.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;
import io.edgestop.trace.TraceContext;

/** Redelivery and crash recovery of the edge worker on a real broker. */
@RealKafka
class EdgeWorkerKafkaTest {

    private static final String CLUSTER = "cn-hz-edge-1";

    private KafkaBroker broker;
    private Topics topics;
    private KafkaProducer<String, byte[]> producer;
    private final List<EdgeWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp(KafkaBroker broker) {
        this.broker = broker;
        this.topics = new Topics(broker.uniquePrefix());
        broker.createTopic(topics.directives(CLUSTER), 2);
        broker.createTopic(topics.jobStatusReports(CLUSTER), 1);
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(EdgeWorker::close);
        producer.close();
    }

    @Test
    void aDirectiveDeliveredTwiceStopsTheJobOnceAndReportsConsistently() throws Exception {
        SimulatedJobController edge = new SimulatedJobController().addRunningJob(CLUSTER, "job-1");
        EdgeWorker worker = startWorker(config(), edge, (d, r) -> { });

        StopDirective first = directive("req-1", "job-1", 1);
        send(first);
        send(first); // the same directive again (producer retry, orchestrator replay)
        send(directive("req-1", "job-1", 2)); // a later attempt after a missed deadline

        List<JobStatusReport> reports = awaitReports(3);
        assertEquals(1, edge.stopCount(CLUSTER, "job-1"), "the job is stopped once");
        Instant stoppedAt = reports.get(0).getStoppedAt();
        assertNotNull(stoppedAt);
        for (JobStatusReport r : reports) {
            assertEquals(JobStatus.STOPPED, r.getStatus());
            assertEquals(stoppedAt, r.getStoppedAt(), "every report carries the original stop time");
            assertEquals("req-1", r.getRequestId());
            assertEquals(worker.config().workerId(), r.getWorkerId());
        }
        assertEquals(List.of("req-1#1", "req-1#1", "req-1#2"),
                reports.stream().map(JobStatusReport::getDirectiveId).toList());
        assertEquals(1, worker.duplicatesSeen(), "the repeat was answered without calling the controller");
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 3);
    }

    /** The report carries the directive's trace, its parent now the worker's span; a directive without one starts a trace. */
    @Test
    void theReportCarriesTheDirectivesTraceFromTheWorkersSpan() throws Exception {
        SimulatedJobController edge = new SimulatedJobController().addRunningJob(CLUSTER, "job-1").addRunningJob(CLUSTER, "job-2");
        startWorker(config(), edge, (d, r) -> { });
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        send(directive("req-1", "job-1", 1), "00-" + traceId + "-00f067aa0ba902b7-01");
        send(directive("req-2", "job-2", 1));

        Map<String, String> byJob = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : awaitReportRecords(2)) {
            byJob.put(r.key(), TraceContext.traceparent(r.headers()));
        }
        String traced = byJob.get(JobKey.of(CLUSTER, "job-1"));
        assertTrue(traced.startsWith("00-" + traceId + "-"), traced);
        assertFalse(traced.contains("00f067aa0ba902b7"), "the parent is the worker's own span: " + traced);
        String started = byJob.get(JobKey.of(CLUSTER, "job-2"));
        assertTrue(started != null && !started.contains(traceId), "a new trace: " + started);
    }

    @Test
    void aDirectiveOfAnAbortedTransactionIsNeverActedOn() throws Exception {
        SimulatedJobController edge = new SimulatedJobController().addRunningJob(CLUSTER, "job-a")
                .addRunningJob(CLUSTER, "job-b");
        EdgeWorker worker = startWorker(config(), edge, (d, r) -> { });
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "orchestrator-like");
        String topic = topics.directives(CLUSTER);
        try (KafkaProducer<String, byte[]> tx = new KafkaProducer<>(p)) {
            tx.initTransactions();
            // what the orchestrator leaves when its transaction is aborted (fenced, connection lost, crash)
            tx.beginTransaction();
            StopDirective aborted = directive("req-a", "job-a", 1);
            tx.send(new ProducerRecord<>(topic, JobKey.of(CLUSTER, "job-a"), AvroSerdes.stopDirective().serialize(topic, aborted)));
            tx.flush();
            tx.abortTransaction();
            tx.beginTransaction();
            StopDirective committed = directive("req-b", "job-b", 1);
            tx.send(new ProducerRecord<>(topic, JobKey.of(CLUSTER, "job-b"), AvroSerdes.stopDirective().serialize(topic, committed)));
            tx.commitTransaction();
        }
        List<JobStatusReport> reports = awaitReports(1);
        assertEquals("req-b#1", reports.get(0).getDirectiveId());
        assertEquals(1, edge.stopCount(CLUSTER, "job-b"));
        assertEquals(0, edge.stopCount(CLUSTER, "job-a"), "the aborted directive did not stop its job");
        assertEquals(1, worker.directivesHandled(), "only the committed directive reached the worker");
    }

    @Test
    void aCrashBetweenStopAndReportIsRecoveredOnRestart() throws Exception {
        SimulatedJobController edge = new SimulatedJobController().addRunningJob(CLUSTER, "job-2");
        EdgeWorkerConfig config = config();
        AtomicBoolean crashed = new AtomicBoolean();
        EdgeWorker first = startWorker(config, edge, (d, r) -> {
            crashed.set(true);
            throw new SimulatedCrash();
        });
        send(directive("req-2", "job-2", 1));

        await().atMost(Duration.ofSeconds(30)).until(() -> !first.isRunning());
        assertTrue(crashed.get());
        assertInstanceOf(SimulatedCrash.class, first.failure());
        assertEquals(JobStatus.STOPPED, edge.status(CLUSTER, "job-2").orElseThrow(), "the job was stopped...");
        assertEquals(0, committed(), "...but nothing was committed");
        Instant originalStop = edge.stop(CLUSTER, "job-2").stoppedAt(); // idempotent read of the stop time

        // restart: a new worker process of the same cluster (same group), same edge cluster
        EdgeWorker second = startWorker(config.withWorkerId("restarted"), edge, (d, r) -> { });
        List<JobStatusReport> reports = awaitReports(1);
        JobStatusReport report = reports.get(0);
        assertEquals(JobStatus.STOPPED, report.getStatus());
        assertEquals(originalStop, report.getStoppedAt(), "the report carries the stop time of the crashed attempt");
        assertEquals("req-2#1", report.getDirectiveId());
        assertEquals("restarted", report.getWorkerId());
        assertEquals(1, edge.stopCount(CLUSTER, "job-2"), "the redelivered directive did not stop it again");
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 1);

        // after a clean close, a third worker gets nothing again: the report was committed
        second.close();
        EdgeWorker third = startWorker(config.withWorkerId("third"), edge, (d, r) -> { });
        assertTrue(third.awaitAssigned(Duration.ofSeconds(30)));
        send(directive("req-3", "job-3", 1));
        List<JobStatusReport> after = awaitReports(2);
        assertEquals("req-3#1", after.get(1).getDirectiveId());
        assertEquals(1, third.directivesHandled(), "only the new directive reached the third worker");
    }

    /** Readiness waits for partitions: the worker starts before its cluster's directive topic exists. */
    @Test
    void theAdminEndpointIsReadyOnceAssignedAndCountsStopsAndReportLatency() throws Exception {
        String cluster = "cn-admin-edge-7";
        SimulatedJobController edge = new SimulatedJobController().addRunningJob(cluster, "job-5");
        EdgeWorker worker = startWorker(EdgeWorkerConfig.fromMap(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic.prefix", topics.prefix(), "cluster.id", cluster, "admin.host", "127.0.0.1", "admin.port", "0")),
                edge, (d, r) -> { });
        assertTrue(worker.adminPort() > 0);
        await().atMost(Duration.ofSeconds(10)).until(worker::isRunning);
        assertEquals(503, admin(worker, "/readyz").statusCode(), "polling, but no partitions: its topic does not exist");
        assertEquals(200, admin(worker, "/healthz").statusCode());
        String topic = topics.directives(cluster);
        broker.createTopic(topic, 2, Map.of("retention.ms", "604800000"));
        broker.createTopic(topics.jobStatusReports(cluster), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin(worker, "/readyz").statusCode() == 200);

        StopDirective d = StopDirective.newBuilder(directive("req-5", "job-5", 1)).setClusterId(cluster).build();
        producer.send(new ProducerRecord<>(topic, JobKey.of(cluster, "job-5"), AvroSerdes.stopDirective().serialize(topic, d)))
                .get(10, TimeUnit.SECONDS);
        awaitReports(cluster, 1);
        String tag = "{cluster=\"" + cluster + "\"}";
        await().atMost(Duration.ofSeconds(10)).until(() -> admin(worker, "/metrics").body()
                .contains("edgestop_worker_report_latency_seconds_count" + tag + " 1"));
        String metrics = admin(worker, "/metrics").body();
        assertTrue(metrics.contains("edgestop_worker_stops_total" + tag + " 1.0"), metrics);
        assertTrue(metrics.contains("edgestop_worker_stop_failures_total" + tag + " 0.0"), metrics);
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag_max{"), "consumer lag: " + metrics);

        worker.close();
        assertThrows(java.io.IOException.class, () -> admin(worker, "/healthz"), "closed with the worker");
    }

    @Test
    void aStopThatKeepsFailingIsReportedAsFailedAndCommitted() throws Exception {
        SimulatedJobController edge = new SimulatedJobController(Duration.ZERO, 1.0, 3, true, Clock.systemUTC());
        EdgeWorkerConfig config = EdgeWorkerConfig.fromMap(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "topic.prefix", topics.prefix(), "cluster.id", CLUSTER, "stop.max.attempts", "2",
                "stop.retry.backoff.ms", "10", "admin.host", "127.0.0.1", "admin.port", "0"));
        EdgeWorker worker = startWorker(config, edge, (d, r) -> { });
        send(directive("req-4", "job-4", 1));
        JobStatusReport report = awaitReports(1).get(0);
        assertEquals(JobStatus.RUNNING, report.getStatus());
        assertNull(report.getStoppedAt());
        assertTrue(report.getMessage().contains("stop failed after 2 attempts"), report.getMessage());
        assertEquals(2, edge.failures());
        String metrics = admin(worker, "/metrics").body();
        assertTrue(metrics.contains("edgestop_worker_stop_failures_total{cluster=\"" + CLUSTER + "\"} 1.0"), metrics);
    }

    /**
     * A worker started for a cluster whose directive topic does not exist yet (the orchestrator creates
     * it when the cluster's first job appears) waits for it, never creates it with the broker's
     * defaults (the test broker auto-creates topics), and handles the directives once it exists.
     */
    @Test
    void aWorkerStartedBeforeItsDirectiveTopicExistsWaitsForIt() throws Exception {
        String cluster = "cn-new-edge-9";
        SimulatedJobController edge = new SimulatedJobController(Duration.ZERO, 0.0, 1, true, Clock.systemUTC());
        EdgeWorker worker = startWorker(EdgeWorkerConfig.of(broker.bootstrapServers(), topics.prefix(), cluster), edge,
                (d, r) -> { });
        await().atMost(Duration.ofSeconds(10)).until(worker::isRunning);
        String topic = topics.directives(cluster);
        try (Admin admin = broker.admin()) { // its consumer asks for the topic's metadata all along: nothing creates it
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
        }
        broker.createTopic(topic, 2, Map.of("retention.ms", "604800000"));
        broker.createTopic(topics.jobStatusReports(cluster), 1); // the orchestrator creates both at the cluster's first job
        StopDirective d = StopDirective.newBuilder(directive("req-9", "job-9", 1)).setClusterId(cluster).build();
        producer.send(new ProducerRecord<>(topic, JobKey.of(cluster, "job-9"), AvroSerdes.stopDirective().serialize(topic, d)))
                .get(10, TimeUnit.SECONDS);
        JobStatusReport report = awaitReports(cluster, 1).get(0);
        assertEquals(JobStatus.STOPPED, report.getStatus());
        assertEquals("req-9#1", report.getDirectiveId());
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash between stop and report");
        }
    }

    private EdgeWorkerConfig config() {
        return EdgeWorkerConfig.of(broker.bootstrapServers(), topics.prefix(), CLUSTER);
    }

    private EdgeWorker startWorker(EdgeWorkerConfig config, JobController controller, EdgeWorker.AfterStopHook hook) {
        EdgeWorker w = new EdgeWorker(config, controller, hook, Clock.systemUTC()).start();
        workers.add(w);
        return w;
    }

    private static HttpResponse<String> admin(EdgeWorker worker, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private StopDirective directive(String requestId, String jobId, int attempt) {
        Instant now = Instant.now();
        return StopDirective.newBuilder().setDirectiveId(requestId + "#" + attempt).setRequestId(requestId)
                .setAccountId("1000000000000001").setClusterId(CLUSTER).setJobId(jobId).setAttempt(attempt)
                .setIssuedAt(now).setDeadline(now.plusSeconds(30)).build();
    }

    private void send(StopDirective d) throws Exception {
        send(d, null);
    }

    private void send(StopDirective d, String traceparent) throws Exception {
        String topic = topics.directives(CLUSTER);
        producer.send(new ProducerRecord<>(topic, null, JobKey.of(CLUSTER, d.getJobId()),
                AvroSerdes.stopDirective().serialize(topic, d), TraceContext.headers(traceparent))).get(10, TimeUnit.SECONDS);
    }

    private List<JobStatusReport> awaitReports(int n) {
        return awaitReports(CLUSTER, n);
    }

    /** The first {@code n} reports on {@code cluster}'s report topic (partition 0). */
    private List<JobStatusReport> awaitReports(String cluster, int n) {
        return awaitReportRecords(cluster, n).stream().map(r -> AvroSerdes.jobStatusReport().deserialize(r.topic(), r.value())).toList();
    }

    private List<ConsumerRecord<String, byte[]>> awaitReportRecords(int n) {
        return awaitReportRecords(CLUSTER, n);
    }

    private List<ConsumerRecord<String, byte[]>> awaitReportRecords(String cluster, int n) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topics.jobStatusReports(cluster), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
                return out.size() >= n;
            });
        }
        return out;
    }

    /** Sum of the committed offsets of the cluster's group on the directive topic. */
    private long committed() throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets(EdgeWorkerConfig.defaultGroupId(topics, CLUSTER))
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }
}
