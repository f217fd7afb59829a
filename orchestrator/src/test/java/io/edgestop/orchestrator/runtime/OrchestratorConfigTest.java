package io.edgestop.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.topology.DirectiveTopics;
import io.edgestop.orchestrator.topology.OrchestratorTopology;

class OrchestratorConfigTest {

    @TempDir
    Path dir;

    @Test
    void productionDefaults() {
        OrchestratorConfig c = OrchestratorConfig.fromMap(Map.of());
        assertEquals("edgestop.", c.topicPrefix());
        assertEquals("edgestop.stop-commands", c.topics().stopCommands());
        assertEquals("edgestop-orchestrator", c.applicationId());
        assertEquals("exactly_once_v2", c.processingGuarantee());
        assertEquals(3, c.replicationFactor());
        assertEquals(6000, c.quotaDefaultPerMinute());
        assertEquals(30_000, c.directiveDeadlineMs());
        assertEquals(3, c.directiveMaxAttempts());
        assertEquals(900_000, c.nonceWindowMs());
        Properties p = c.streamsProperties();
        assertEquals("exactly_once_v2", p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("edgestop.dead-letter", p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        assertEquals("3", p.get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals("2", p.get("topic.min.insync.replicas"), "Streams' own topics: min ISR of replication factor 3");
    }

    @Test
    void theJobQueryEndpointNeedsAToken() throws Exception {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OrchestratorConfig.fromMap(Map.of(OrchestratorConfig.QUERY_PORT, "0")));
        assertTrue(none.getMessage().contains(OrchestratorConfig.QUERY_TOKEN_FILE), none.getMessage());

        Path file = Files.writeString(dir.resolve("query-token"), "tok-from-file-91a\n");
        OrchestratorConfig c = OrchestratorConfig.fromMap(Map.of(OrchestratorConfig.QUERY_PORT, "0",
                OrchestratorConfig.QUERY_TOKEN_FILE, file.toString()));
        byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(c.queryToken().admits(token("tok-from-file-91a").authorization("POST", "/jobs", body), "POST", "/jobs", body));
        assertFalse(c.queryToken().admits(token("tok-from-file-91").authorization("POST", "/jobs", body), "POST", "/jobs", body));
        assertFalse(c.toString().contains("tok-from-file-91a"), c.toString());

        OrchestratorConfig inline = OrchestratorConfig.fromMap(Map.of(OrchestratorConfig.QUERY_PORT, "0",
                OrchestratorConfig.QUERY_TOKEN, "inline-tok-77"));
        assertFalse(inline.toString().contains("inline-tok-77"), inline.toString());

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> OrchestratorConfig.fromMap(
                Map.of(OrchestratorConfig.QUERY_PORT, "0", OrchestratorConfig.QUERY_TOKEN_FILE, empty.toString())).queryToken());
        assertTrue(blank.getMessage().contains("empty"), blank.getMessage());
    }

    @Test
    void minInsyncReplicasFollowsTheReplicationFactor() {
        assertEquals("1", OrchestratorConfig.fromMap(Map.of("replication.factor", "1")).streamsProperties()
                .get("topic.min.insync.replicas"));
        assertEquals(1, MinInsyncReplicas.forReplicationFactor(2));
        assertEquals(4, MinInsyncReplicas.forReplicationFactor(5));
    }

    @Test
    void kafkaKeysPassThroughWithoutPrefixAndWin() {
        OrchestratorConfig c = OrchestratorConfig.fromMap(Map.of("kafka.num.stream.threads", "4", "kafka.commit.interval.ms", "7",
                "topic.prefix", "p."));
        Properties p = c.streamsProperties();
        assertEquals("4", p.get("num.stream.threads"));
        assertEquals("7", p.get("commit.interval.ms"));
        assertEquals("p.dead-letter", p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
    }

    @Test
    void oneStreamThreadPerCoreUnlessSet() {
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()),
                OrchestratorConfig.fromMap(Map.of()).streamsProperties().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals("3", OrchestratorConfig.fromMap(Map.of("num.stream.threads", "3")).streamsProperties()
                .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertThrows(IllegalArgumentException.class, () -> OrchestratorConfig.fromMap(Map.of("num.stream.threads", "0")));
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> OrchestratorConfig.fromMap(Map.of("quota.default.per.minute", "x")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrchestratorConfig.fromMap(Map.of("directive.max.attempts", "0")));
        assertEquals("Invalid value 0 for configuration directive.max.attempts: Value must be at least 1", e.getMessage());
    }

    @Test
    void eachCollaboratorIsGivenItsOwnSettings() {
        OrchestratorConfig c = OrchestratorConfig.fromMap(Map.ofEntries(Map.entry("nonce.window.ms", "60000"),
                Map.entry("quota.default.per.minute", "7"), Map.entry("directive.deadline.ms", "5000"),
                Map.entry("directive.max.attempts", "2"), Map.entry("commit.interval.ms", "30"),
                Map.entry("commit.backlog.interval.ms", "300"), Map.entry("async.producers", "z,a"),
                Map.entry("table.history.retention.ms", "1000"), Map.entry("kafka.max.task.idle.ms", "9"),
                Map.entry("query.port", "0"), Map.entry("query.token", "settings-tok-5")));
        assertEquals(new DecisionSettings(60_000, 7, 5000, 2), c.decisionSettings());
        assertEquals(new CommitIntervals(30, 300), c.commitIntervals());

        TopologySettings topology = c.topologySettings();
        assertEquals(List.of("a", "z"), topology.asyncProducers());
        assertEquals(Duration.ofSeconds(1), topology.tableHistory());
        assertNull(topology.auditCheckpointKeyFile(), "no key file: no checkpoints");
        assertEquals(c.decisionSettings(), topology.decisions());
        assertEquals(9, topology.streams().maxTaskIdleMs, "the tasks run with the kafka.* overrides too");

        QuerySettings query = c.querySettings();
        assertEquals(new QuerySettings("127.0.0.1", 0, "", query.token(), 6000, 60_000, Duration.ofSeconds(2)), query);
        assertFalse(query.toString().contains("settings-tok-5"), query.toString());
    }

    @Test
    void topologyIsPureAndDecidesInOneHop() {
        TopologySettings settings = OrchestratorConfig.fromMap(Map.of("topic.prefix", "x.")).topologySettings();
        TopologyDescription d = OrchestratorTopology.build(settings, (t, p, o, k, v, e) -> { }, new DirectiveTopics() {
            @Override
            public void prepare(String clusterId) {
            }

            @Override
            public String undeliverable(String clusterId) {
                return null;
            }
        }).describe();
        assertEquals(2, d.subtopologies().size(), d.toString());
        TopologyDescription.Subtopology deciding = d.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("stop-commands"))).findFirst().orElseThrow();
        List<String> names = deciding.nodes().stream().map(TopologyDescription.Node::name).toList();
        // the command's source, the decider and every output of the decision are in one sub-topology: one task, one commit
        assertTrue(names.containsAll(List.of("stop-commands", "decider", "to-stop-results", "to-audit", "to-directives")), names.toString());
        // its only other input is the job events, re-keyed to the account once per job change
        List<String> sources = deciding.nodes().stream().filter(n -> n instanceof TopologyDescription.Source)
                .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream()).sorted().toList();
        assertEquals(List.of("job-events-repartition", "x.account-policies", "x.account-settings", "x.stop-commands"), sources);
        assertTrue(d.toString().contains("Sink: to-directives (extractor class"), d.toString());
    }

    private static io.edgestop.ops.QueryToken token(String value) {
        return io.edgestop.ops.QueryToken.fromSettings(Map.of(io.edgestop.ops.QueryToken.SETTING, value)).orElseThrow();
    }
}
