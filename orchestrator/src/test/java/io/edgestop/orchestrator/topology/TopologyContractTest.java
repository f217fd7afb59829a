package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.ACCOUNT;
import static io.edgestop.orchestrator.topology.Harness.CLUSTER;
import static io.edgestop.orchestrator.topology.Harness.JOB;
import static io.edgestop.orchestrator.topology.Harness.ROOT;
import static io.edgestop.orchestrator.topology.Harness.T0;
import static io.edgestop.orchestrator.topology.Harness.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.TopicContract;

/**
 * The orchestrator's topology uses the topics of the contract and no other: every topic it reads or
 * writes, its repartition topic and the changelog of each of its stores is in {@code TopicContract},
 * and what it writes to each internal topic decodes with the contract's value serde, so every
 * internal format is one the evolution gate guards.
 */
class TopologyContractTest {

    @TempDir
    Path stateDir;

    @Test
    void everyTopicAndStoreOfTheTopologyIsInTheContract() {
        OrchestratorConfig config = OrchestratorConfig.fromMap(Map.of(OrchestratorConfig.BOOTSTRAP_SERVERS, "dummy:9092",
                OrchestratorConfig.STATE_DIR, stateDir.toString(), OrchestratorConfig.ASYNC_PRODUCERS, "billing"));
        TopologyDescription description = OrchestratorTopology.build(config.topologySettings(),
                (topic, partition, offset, key, value, reason) -> { }, new RecordingDirectiveTopics()).describe();
        // an async producer's commands are decided by the same task as the adapter's (one co-partitioned sub-topology)
        assertTrue(description.subtopologies().stream().anyMatch(sub -> sub.nodes().stream()
                .filter(n -> n instanceof TopologyDescription.Source).flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream())
                .toList().containsAll(List.of(config.topics().stopCommands(), config.topics().asyncCommands("billing")))),
                description.toString());
        Set<String> topics = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicPattern() != null) {
                    // the one pattern source: every cluster's report topic, and nothing else of the contract
                    assertEquals(config.topics().jobStatusReportsPattern().pattern(), source.topicPattern().pattern());
                    for (String other : config.topics().fixed()) {
                        assertFalse(source.topicPattern().matcher(other).matches(), other);
                    }
                    assertFalse(source.topicPattern().matcher(config.topics().directives("edge-1")).matches());
                } else if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    topics.add(sink.topic());
                } else if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        Set<String> globalStores = new TreeSet<>();
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            topics.addAll(global.source().topicSet());
            globalStores.addAll(global.processor().stores());
        }
        assertEquals(Set.of(JobLookup.JOBS_STORE), globalStores, "the only store without a changelog: restored from job-state");

        Set<String> known = new TreeSet<>(config.topics().fixed());
        known.add(config.topics().asyncCommands("billing"));
        Set<String> internal = new TreeSet<>();
        Set<String> changelogged = new TreeSet<>();
        for (TopicContract<?> t : TopicContract.all()) {
            if (t.kind() == TopicContract.Kind.INTERNAL) {
                internal.add(t.name());
                if (t.name().endsWith("-changelog")) {
                    changelogged.add(t.streamsName());
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String topic : topics) {
            if (!known.contains(topic) && !internal.contains(topic)) {
                unknown.add(topic);
            }
        }
        assertEquals(List.of(), unknown, "topics of the topology that the contract does not have");
        assertTrue(topics.contains(TopicContract.JOB_EVENTS.name()), topics.toString());
        assertEquals(changelogged, stores, "the stores of the deciding task are the contract's changelogs");
    }

    /** An accepted stop and its completion write every internal topic; each record decodes with the contract's serde. */
    @Test
    void whatTheTopologyWritesToItsInternalTopicsDecodesWithTheContractsSerdes() {
        try (Harness h = new Harness(stateDir)) {
            h.withRunningJob();
            h.policies.pipeInput(ACCOUNT, Harness.policies(ROOT, 1), T0 - 3_600_000);
            assertEquals(Outcome.ACCEPTED, h.decide(command("r1").setSignatureNonce("n-1").build(), T0).getOutcome());
            h.reports.pipeInput(JobKey.of(CLUSTER, JOB), JobStatusReport.newBuilder().setClusterId(CLUSTER).setJobId(JOB)
                    .setStatus(JobStatus.STOPPED).setDirectiveId("r1#1").setWorkerId("w1")
                    .setReportedAt(Instant.ofEpochMilli(T0 + 100)).build(), T0 + 100);
            assertEquals(List.of(Outcome.COMPLETED), h.results.readValuesToList().stream().map(r -> r.getOutcome()).toList());

            Set<String> produced = h.driver.producedTopicNames();
            String prefix = h.config.applicationId() + "-";
            Map<String, Integer> decoded = new HashMap<>();
            for (TopicContract<?> t : TopicContract.all()) {
                if (t.kind() != TopicContract.Kind.INTERNAL) {
                    continue;
                }
                String topic = prefix + t.name();
                assertTrue(produced.contains(topic), topic + " not written; written: " + produced);
                Serde<?> serde = AvroSerdes.valueSerde(t);
                Serde<Object> keys = t.key().serde();
                int n = 0;
                for (TestRecord<byte[], byte[]> r : h.driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()).readRecordsToList()) {
                    assertTrue(keys.deserializer().deserialize(topic, r.key()) instanceof String, topic + ": a string key");
                    if (r.value() != null) {
                        Object value = serde.deserializer().deserialize(topic, r.value());
                        assertTrue(t.valueType().isInstance(value), topic + ": " + value);
                        n++;
                    }
                }
                decoded.put(t.name(), n);
            }
            assertFalse(decoded.containsValue(0), "every internal topic holds a value: " + decoded);
            for (String topic : produced) {
                assertTrue(topic.startsWith(prefix) || h.config.topics().fixed().contains(topic)
                        || topic.equals(h.config.topics().directives(CLUSTER)), "not in the contract: " + topic);
            }
        }
    }
}
