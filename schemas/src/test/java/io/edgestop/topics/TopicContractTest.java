package io.edgestop.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.evolution.SchemaHistory;
import io.edgestop.schema.evolution.TopicSchemas;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * The topic contract: what it says is what the system used before it existed (names and settings
 * pinned here), every Avro value is under the evolution gate, and the docs' topic table says the
 * same as the contract, row for row.
 */
class TopicContractTest {

    static final Path ARCHITECTURE = Path.of("..", "docs", "architecture.md");

    @Test
    void theFixedTopicsKeepTheirNamesAndSettings() {
        Topics topics = new Topics("p.");
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        TopicContract.fixed().forEach(t -> configs.put(topics.name(t), t.configs()));
        Map<String, String> week = Map.of("cleanup.policy", "delete", "retention.ms", "604800000");
        Map<String, String> compact = Map.of("cleanup.policy", "compact");
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        expected.put("p.stop-commands", Map.of("cleanup.policy", "delete", "retention.ms", "604800000",
                "message.timestamp.before.max.ms", "300000", "message.timestamp.after.max.ms", "60000"));
        expected.put("p.account-settings", compact);
        expected.put("p.account-policies", compact);
        expected.put("p.job-state", compact);
        expected.put("p.verified-reports", week);
        Map<String, String> bounded = Map.of("cleanup.policy", "delete", "retention.ms", "604800000",
                "message.timestamp.before.max.ms", "600000", "message.timestamp.after.max.ms", "5000");
        expected.put("p.stream-time-ticks", bounded);
        expected.put("p.job-observations", compact);
        expected.put("p.stop-results", week);
        expected.put("p.audit", Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
        expected.put("p.audit-checkpoints", Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
        expected.put("p.dead-letter", Map.of("cleanup.policy", "delete", "retention.ms", "2592000000"));
        assertEquals(expected, configs);
        assertEquals(List.copyOf(expected.keySet()), topics.fixed());
        assertEquals(List.of(topics.stopCommands(), topics.accountSettings(), topics.accountPolicies(), topics.jobState(),
                topics.verifiedReports(), topics.streamTimeTicks(), topics.jobObservations(), topics.stopResults(), topics.audit(), topics.auditCheckpoints(),
                topics.deadLetter()), topics.fixed());
        assertEquals("p.directives.edge-1", topics.directives("edge-1"));
        assertEquals(week, TopicContract.DIRECTIVES.configs());
        assertEquals("p.job-status-reports.edge-1", topics.jobStatusReports("edge-1"));
        assertEquals("edge-1", topics.clusterOfJobStatusReports("p.job-status-reports.edge-1"));
        assertEquals(null, topics.clusterOfJobStatusReports("p.job-status-reports."));
        assertEquals(null, topics.clusterOfJobStatusReports("q.job-status-reports.edge-1"));
        assertEquals(null, topics.clusterOfJobStatusReports(topics.streamTimeTicks()));
        assertEquals("p.async-commands.billing", topics.asyncCommands("billing"));
    }

    /**
     * The timestamps of commands, reports and ticks are bounded by the broker (their writers' times decide, issue 21),
     * and only there.
     */
    @Test
    void theTopicsWhoseTimesDecideBoundTheirTimestampsAgainstTheBrokersTime() {
        Map<String, String> commands = Map.of("message.timestamp.before.max.ms", "300000", "message.timestamp.after.max.ms", "60000");
        Map<String, String> reports = Map.of("message.timestamp.before.max.ms", "600000", "message.timestamp.after.max.ms", "5000");
        for (TopicContract<?> t : TopicContract.all()) {
            if (t.kind() == TopicContract.Kind.INTERNAL) {
                assertNull(t.configs(), t.toString());
                continue;
            }
            Map<String, String> expected = new LinkedHashMap<>(t.cleanup().configs());
            if (t == TopicContract.STOP_COMMANDS || t == TopicContract.ASYNC_COMMANDS) {
                expected.putAll(commands);
            } else if (t == TopicContract.JOB_STATUS_REPORTS || t == TopicContract.STREAM_TIME_TICKS) {
                expected.putAll(reports);
            }
            assertEquals(expected, t.configs(), t.toString());
        }
    }

    @Test
    void theAccountGroupIsCoPartitioned() {
        List<String> group = TopicContract.all().stream()
                .filter(t -> TopicContract.ACCOUNT_GROUP.equals(t.coPartitionGroup())).map(TopicContract::documentedName).toList();
        assertEquals(List.of("stop-commands", "account-settings", "account-policies", "async-commands.<producer>",
                "<application.id>-job-events-repartition",
                "<application.id>-account-settings-versions-changelog", "<application.id>-account-policies-versions-changelog",
                "<application.id>-command-ledger-changelog", "<application.id>-job-observations-changelog",
                "<application.id>-pending-stops-changelog", "<application.id>-audit-chain-changelog"), group);
        for (TopicContract<?> t : TopicContract.all()) {
            if (TopicContract.ACCOUNT_GROUP.equals(t.coPartitionGroup()) && !t.name().endsWith("-changelog")) {
                assertEquals(TopicContract.Key.ACCOUNT_ID, t.key(), t + ": the group's inputs are keyed by account");
            }
        }
    }

    @Test
    void everyTopicHasANameOfItsKindAndOnlyInternalTopicsAreLeftToKafkaStreams() {
        Set<String> names = new HashSet<>();
        for (TopicContract<?> t : TopicContract.all()) {
            assertTrue(names.add(t.documentedName()), "twice: " + t);
            boolean internal = t.kind() == TopicContract.Kind.INTERNAL;
            assertEquals(internal, t.cleanup() == null, t + ": only Kafka Streams configures a topic's cleanup itself");
            assertEquals(internal, t.streamsName() != null, t.toString());
            assertEquals(internal, t.partitions() == TopicContract.Partitions.OF_GROUP, t.toString());
            if (internal) {
                assertTrue(t.name().equals(t.streamsName() + "-changelog") || t.name().equals(t.streamsName() + "-repartition"),
                        t.toString());
            }
        }
    }

    /** Every value is Avro with a released history under the gate, or raw bytes: the dead letters only. */
    @Test
    void everyValueFormatIsUnderTheEvolutionGate() {
        List<Schema> gated = TopicSchemas.current();
        for (TopicContract<?> t : TopicContract.all()) {
            if (!t.avro()) {
                assertEquals(TopicContract.DEAD_LETTER, t, "only dead letters are raw");
                assertEquals(byte[].class, t.valueType());
                assertNull(t.valueSchema());
                continue;
            }
            Schema schema = t.valueSchema();
            assertTrue(gated.contains(schema), t + ": " + schema.getFullName() + " is not guarded by the gate");
            assertFalse(SchemaHistory.releasedVersions(schema.getName()).isEmpty(), t + ": " + schema.getName() + " never released");
            assertTrue(AvroSerdes.valueSerde(t) instanceof AvroSerde<?> serde && serde.type() == t.valueType(), t.toString());
        }
        Set<Schema> values = new HashSet<>();
        TopicContract.all().stream().filter(TopicContract::avro).forEach(t -> values.add(t.valueSchema()));
        assertEquals(values, Set.copyOf(gated), "the gate guards the topics' values, no more, no less");
    }

    /** The docs' topic table has one row per topic, saying its key, value and cleanup as the contract does. */
    @Test
    void theDocsTopicTableIsTheContract() throws IOException {
        Map<String, List<String>> rows = topicTable(Files.readString(ARCHITECTURE, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        for (TopicContract<?> t : TopicContract.all()) {
            List<String> row = rows.remove(t.documentedName());
            if (row == null) {
                problems.add("no row for " + t.documentedName());
                continue;
            }
            expect(problems, t, "key", t.key().description(), row.get(1));
            expect(problems, t, "value", t.avro() ? t.valueType().getSimpleName() : "raw", row.get(2));
            expect(problems, t, "partitions", t.partitions().description(), row.get(3));
            expect(problems, t, "co-partition group", t.coPartitionGroup() == null ? "-" : t.coPartitionGroup(), row.get(4));
            expect(problems, t, "cleanup / retention", t.documentedCleanup(), row.get(5));
        }
        rows.keySet().forEach(name -> problems.add("a row for " + name + ", which the contract does not have"));
        assertEquals(List.of(), problems);
    }

    private static void expect(List<String> problems, TopicContract<?> t, String column, String expected, String cell) {
        String actual = cell.replace("`", "");
        String wanted = expected.replace("`", "");
        if (!actual.equals(wanted) && !actual.startsWith(wanted + " ")) {
            problems.add(t.documentedName() + ": " + column + " is documented as '" + cell + "', the contract says '" + expected + "'");
        }
    }

    /** The rows of the table under "## Topics", keyed by the topic name in the first cell. */
    static Map<String, List<String>> topicTable(String markdown) {
        int section = markdown.indexOf("\n## Topics\n");
        assertTrue(section >= 0, "docs/architecture.md has a '## Topics' section");
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : markdown.substring(section + 1).split("\n")) {
            if (line.startsWith("## ") && !line.equals("## Topics")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break; // the first table of the section only
                }
                continue;
            }
            inTable = true;
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|")) {
                cells.add(cell.strip());
            }
            String name = cells.get(0).replace("`", "");
            if (name.equals("topic") || name.startsWith("---")) {
                continue;
            }
            rows.put(name, cells);
        }
        assertNotNull(rows);
        return rows;
    }
}
