package io.edgestop.devtools.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.topology.DeadLetters;
import io.edgestop.orchestrator.topology.DirectiveTopics;
import io.edgestop.orchestrator.topology.OrchestratorTopology;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * The orchestrator's own topology ({@link OrchestratorTopology#build}) in an in-process
 * TopologyTestDriver: records piped in with their original timestamps are decided by the same
 * code as live, from empty state in a temporary directory (deleted on close). Nothing reaches
 * Kafka. Every directive topic counts as writable (whether one was, live, is not an input).
 */
final class ReplayWorld implements AutoCloseable {

    private static final int DRAIN_EVERY = 1000;

    private final List<String> asyncProducers;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final Topics topics;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final TestOutputTopic<String, AuditRecord> audit;
    private int sinceDrain;

    /** The async producers whose command topics the replayed orchestrator decides ({@code async.producers}). */
    List<String> asyncProducers() {
        return asyncProducers;
    }

    /** {@code settings}: the orchestrator's settings (those that decide: quota, deadlines, windows, history). */
    ReplayWorld(Map<String, String> settings) {
        try {
            this.stateDir = Files.createTempDirectory("edge-stop-audit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the replay", e);
        }
        Map<String, String> values = new HashMap<>(settings);
        values.put(OrchestratorConfig.STATE_DIR, stateDir.toString());
        values.put(OrchestratorConfig.REPLICATION_FACTOR, "1");
        OrchestratorConfig config = OrchestratorConfig.fromMap(values);
        this.topics = config.topics();
        DeadLetters none = (topic, partition, offset, key, value, reason) -> {
            // live, the record went to dead-letter and the job kept its previous version: the same here, minus the copy
        };
        DirectiveTopics writable = new DirectiveTopics() {
            @Override
            public void prepare(String clusterId) {
            }

            @Override
            public String undeliverable(String clusterId) {
                return null;
            }
        };
        this.driver = new TopologyTestDriver(OrchestratorTopology.build(config.topologySettings(), none, writable), config.streamsProperties(),
                Instant.EPOCH);
        this.asyncProducers = config.asyncProducers();
        for (String t : RecordedInputs.topicsOf(topics, asyncProducers)) {
            inputs.put(t, driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
        }
        this.audit = driver.createOutputTopic(topics.audit(), new StringDeserializer(), AvroSerdes.auditRecord());
    }

    void pipe(RecordedInputs.Input in) {
        pipe(in.topic(), in.key(), in.value(), in.timestamp(), in.headers());
    }

    void pipe(String topic, byte[] key, byte[] value, long timestamp, org.apache.kafka.common.header.Headers headers) {
        TestInputTopic<byte[], byte[]> input = inputs.get(topic);
        if (input == null) {
            throw new IllegalArgumentException("not an input of the orchestrator: " + topic);
        }
        input.pipeInput(new TestRecord<>(key, value, headers, timestamp));
        if (++sinceDrain >= DRAIN_EVERY) {
            sinceDrain = 0;
            dropOtherOutputs();
        }
    }

    /** The audit records written since the last call, in order. */
    List<AuditRecord> audit() {
        List<AuditRecord> out = new ArrayList<>();
        while (!audit.isEmpty()) {
            out.add(audit.readValue());
        }
        return out;
    }

    /** The driver keeps every output until read: results, directives, observations and internal topics are not needed. */
    private void dropOtherOutputs() {
        for (String t : driver.producedTopicNames()) {
            if (!t.equals(topics.audit())) {
                TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                while (!out.isEmpty()) {
                    out.readRecord();
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory: best effort
            }
        }
    }
}
