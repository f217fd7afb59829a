package io.edgestop.devtools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.launcher.Seed;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.trace.TraceContext;

/**
 * Issue 14: one stop followed by its {@code traceparent} on a real broker, from the HTTP request
 * through the adapter's access log and stop command, the orchestrator's decision (result, audit
 * record and directive), the edge worker's report, to the COMPLETED result and audit record.
 */
@RealKafka
class TraceEndToEndTest {

    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String CALLER_SPAN = "b7ad6b7169203331";

    private DevStack stack;
    private final ListAppender<ILoggingEvent> access = new ListAppender<>();

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("io.edgestop.adapter.access")).detachAppender(access);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void oneTraceparentFollowsAStopFromTheHttpRequestToTheWorkersReportAndTheCompletion(KafkaBroker broker,
            @TempDir Path dataDir) throws Exception {
        access.start();
        ((Logger) LoggerFactory.getLogger("io.edgestop.adapter.access")).addAppender(access);
        stack = DevStack.start(DevStack.Options.defaults().withBootstrapServers(broker.bootstrapServers())
                .withTopicPrefix(broker.uniquePrefix()).withHttpPort(0).withDataDir(dataDir));
        Seed.Example example = stack.seed().example().orElseThrow();
        Seed.Job job = example.job();
        URI url = new StopJobClient(stack.baseUrl(), example.credential().accessKeyId(),
                example.credential().accessKeySecret()).signedV1Url(job.clusterId(), job.jobId());

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                        .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        String requestId = AvroJson.MAPPER.readTree(response.body()).path("RequestId").asText();

        // the adapter: the access log line and the command, whose parent is the adapter's own span
        JsonNode logged = access.list.stream().map(e -> read(e.getFormattedMessage()))
                .filter(l -> l.path("requestId").asText().equals(requestId)).findFirst().orElseThrow();
        assertEquals(TRACE_ID, logged.path("traceId").asText(), logged.toString());
        String adapterSpan = spanOf(awaitOne(stack.topics().stopCommands(), AvroSerdes.stopCommand(),
                (StopCommand c) -> c.getRequestId().equals(requestId)));
        assertNotEquals(CALLER_SPAN, adapterSpan, "the adapter's span is a child of the caller's");

        // the decision: result, audit record (header and field) and directive carry the command's span
        assertEquals(adapterSpan, spanOf(awaitOne(stack.topics().stopResults(), AvroSerdes.stopResult(),
                (StopResult r) -> r.getRequestId().equals(requestId) && r.getOutcome() == Outcome.ACCEPTED)));
        ConsumerRecord<String, AuditRecord> decision = awaitOne(stack.topics().audit(), AvroSerdes.auditRecord(),
                (AuditRecord a) -> a.getRequestId().equals(requestId) && a.getEventType() == AuditEventType.DECISION);
        assertEquals(adapterSpan, spanOf(decision));
        assertEquals(TraceContext.traceparent(decision.headers()), decision.value().getTraceparent());
        assertEquals(adapterSpan, spanOf(awaitOne(stack.topics().directives(job.clusterId()), AvroSerdes.stopDirective(),
                (StopDirective d) -> d.getRequestId().equals(requestId))));

        // the worker: its report comes from the worker's span, in the same trace, and reaches the observation
        String workerSpan = spanOf(awaitOne(stack.topics().jobStatusReports(job.clusterId()), AvroSerdes.jobStatusReport(),
                (JobStatusReport r) -> requestId.equals(r.getRequestId())));
        assertNotEquals(adapterSpan, workerSpan);
        assertEquals(workerSpan, spanOf(awaitOne(stack.topics().jobObservations(), AvroSerdes.jobObservation(),
                (JobObservation o) -> requestId.equals(o.getRequestId()))));

        // the completion: the request's own trace, in the result and the audit record
        assertEquals(adapterSpan, spanOf(awaitOne(stack.topics().stopResults(), AvroSerdes.stopResult(),
                (StopResult r) -> r.getRequestId().equals(requestId) && r.getOutcome() == Outcome.COMPLETED)));
        ConsumerRecord<String, AuditRecord> completed = awaitOne(stack.topics().audit(), AvroSerdes.auditRecord(),
                (AuditRecord a) -> a.getRequestId().equals(requestId) && a.getEventType() == AuditEventType.COMPLETED);
        assertEquals(adapterSpan, spanOf(completed));
        assertEquals(TraceContext.traceparent(completed.headers()), completed.value().getTraceparent());
    }

    /** The parent span id of a record's traceparent, after checking that it is in the caller's trace. */
    private static String spanOf(ConsumerRecord<String, ?> record) {
        String traceparent = TraceContext.traceparent(record.headers());
        assertTrue(traceparent != null && traceparent.startsWith("00-" + TRACE_ID + "-"),
                record.topic() + " carries " + traceparent);
        return traceparent.split("-")[2];
    }

    /** The one committed record of {@code topic} whose value matches, waiting for it. */
    private <V> ConsumerRecord<String, V> awaitOne(String topic, Deserializer<V> values, Predicate<V> match) {
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            for (ConsumerRecord<String, byte[]> r : committed(topic)) {
                V v = r.value() == null ? null : values.deserialize(topic, r.value());
                if (v != null && match.test(v)) {
                    found.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(), r.key(), v, r.headers(), r.leaderEpoch()));
                }
            }
            return !found.isEmpty();
        });
        assertEquals(1, found.size(), topic + ": " + found);
        return found.get(0);
    }

    private List<ConsumerRecord<String, byte[]>> committed(String topic) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    private static JsonNode read(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
