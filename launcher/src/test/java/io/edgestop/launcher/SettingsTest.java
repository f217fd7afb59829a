package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The one settings rule of every command ({@link Settings}), through the loader and through the CLI. */
class SettingsTest {

    @TempDir
    Path dir;

    static Settings load(Settings.Scope scope, Path file, Path kafkaFile, Map<String, String> env,
            Map<String, Settings.Given> flags, Map<String, String> sets, Map<String, String> kafka) {
        return Settings.load(scope, file, kafkaFile, env, flags, sets, kafka);
    }

    @Test
    void laterSourcesWinAndEachValueKnowsItsSource() throws Exception {
        Path file = Files.writeString(dir.resolve("o.properties"),
                "bootstrap.servers=file:9092\napplication.id=from-file\nquota.default.per.minute=10\nadmin.port=1\nnonce.window.ms=5\n");
        Path kafkaFile = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\nlinger.ms=1\nacks=1\n");
        Settings s = load(Settings.ORCHESTRATOR, file, kafkaFile,
                Map.of("EDGESTOP_ORCHESTRATOR_APPLICATION_ID", "from-env", "EDGESTOP_ORCHESTRATOR_ADMIN_PORT", "2",
                        "EDGESTOP_ORCHESTRATOR_KAFKA_LINGER_MS", "2", "EDGESTOP_ADAPTER_HTTP_PORT", "9", "PATH", "/bin"),
                Map.of("admin.port", new Settings.Given("3", "--admin-port")),
                Map.of("quota.default.per.minute", "20", "kafka.acks", "all", "nonce.window.ms", "6"),
                Map.of("acks", "0"));
        assertEquals("file:9092", s.get("bootstrap.servers"));
        assertEquals("--config " + file, s.source("bootstrap.servers"));
        assertEquals("from-env", s.get("application.id"));
        assertEquals("environment EDGESTOP_ORCHESTRATOR_APPLICATION_ID", s.source("application.id"));
        assertEquals("3", s.get("admin.port"), "a named flag wins over the environment");
        assertEquals("--admin-port", s.source("admin.port"));
        assertEquals("20", s.get("quota.default.per.minute"), "-D wins over the file");
        assertEquals("6", s.get("nonce.window.ms"));
        assertEquals("SASL_SSL", s.get("kafka.security.protocol"));
        assertEquals("--kafka-config " + kafkaFile, s.source("kafka.security.protocol"));
        assertEquals("2", s.get("kafka.linger.ms"), "the environment wins over --kafka-config");
        assertEquals("0", s.get("kafka.acks"), "--kafka wins over -D kafka.*");
        assertEquals("20", s.get("commit.interval.ms"));
        assertEquals("default", s.source("commit.interval.ms"));
        assertNull(s.get("http.port"), "another scope's variable is not this command's");

        OrchestratorConfig c = s.view(OrchestratorConfig::fromMap);
        assertEquals(3, c.adminPort());
        assertEquals("0", c.streamsProperties().get("acks"), "kafka.* reach the clients without the prefix");
    }

    @Test
    void unknownKeysAreRefusedWithTheirSourceNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("a.properties"), "http.prot=8080\n");
        assertRefused("unknown setting 'http.prot' (from --config " + file + ")",
                () -> load(Settings.ADAPTER, file, null, Map.of(), Map.of(), Map.of(), Map.of()));
        assertRefused("unknown setting 'quota.default.per.minute' (from environment EDGESTOP_ADAPTER_QUOTA_DEFAULT_PER_MINUTE)",
                () -> load(Settings.ADAPTER, null, null, Map.of("EDGESTOP_ADAPTER_QUOTA_DEFAULT_PER_MINUTE", "1"), Map.of(),
                        Map.of(), Map.of()));
        assertRefused("unknown setting 'cluster.id' (from -D/--set)",
                () -> load(Settings.ORCHESTRATOR, null, null, Map.of(), Map.of(), Map.of("cluster.id", "c"), Map.of()));
        assertRefused("unknown setting 'kafka.' (from -D/--set)",
                () -> load(Settings.CLI, null, null, Map.of(), Map.of(), Map.of("kafka.", "x"), Map.of()));
        assertRefused("environment variable EDGESTOP_BOOTSTRAP_SERVERS is not a setting",
                () -> load(Settings.CLI, null, null, Map.of("EDGESTOP_BOOTSTRAP_SERVERS", "k:1"), Map.of(), Map.of(), Map.of()));
    }

    @Test
    void aRefusedValueNamesWhereItCameFrom() {
        Settings s = load(Settings.EDGE_WORKER, null, null, Map.of("EDGESTOP_EDGE_WORKER_STOP_MAX_ATTEMPTS", "0"),
                Map.of("cluster.id", new Settings.Given("c1", "--cluster-id")), Map.of(), Map.of());
        assertRefused("Invalid value 0 for configuration stop.max.attempts: Value must be at least 1"
                + " (stop.max.attempts from environment EDGESTOP_EDGE_WORKER_STOP_MAX_ATTEMPTS)",
                () -> s.view(EdgeWorkerConfig::fromMap));
    }

    @Test
    void theCliRefusesAnUnknownKeyWithExitCode2AndOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("orchestrator", "-D", "quota.per.minute=1", "--print-settings");
        assertEquals(2, code);
        assertEquals("edge-stop orchestrator: unknown setting 'quota.per.minute' (from -D/--set); docs/settings.md"
                + " lists the keys of every command", err.toString().strip());
        assertEquals("", out.toString());

        StringWriter err2 = new StringWriter();
        assertEquals(2, EdgeStopCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err2))
                .execute("adapter", "--http-port", "70000", "--print-settings", "--seed", "demo"));
        assertTrue(err2.toString().contains("Invalid value 70000 for configuration http.port: Value must be no more than 65535"
                + " (http.port from --http-port)"), err2.toString());
    }

    @Test
    void anEdgeWorkerMustNameItsJobController() {
        StringWriter err = new StringWriter();
        assertEquals(2, EdgeStopCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute("edge-worker", "--cluster-id", "c1", "--print-settings"));
        assertTrue(err.toString().contains("job.controller is required"), err.toString());
    }

    @Test
    void printSettingsShowsSourcesAndHidesSecrets() throws Exception {
        Path kafkaFile = Files.writeString(dir.resolve("client.properties"),
                "sasl.jaas.config=ScramLoginModule required username=\"u\" password=\"TopSecretPw1\";\n");
        StringWriter out = new StringWriter();
        int code = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("edge-worker", "--cluster-id", "c1", "-D", "job.controller=simulated", "--kafka-config", kafkaFile.toString(),
                        "-D", "kafka.ssl.key.password=OtherSecret2", "--print-settings");
        assertEquals(0, code);
        String printed = out.toString();
        assertFalse(printed.contains("TopSecretPw1") || printed.contains("OtherSecret2"), printed);
        assertTrue(printed.contains("kafka.sasl.jaas.config=[hidden]    # --kafka-config " + kafkaFile), printed);
        assertTrue(printed.contains("cluster.id=c1    # --cluster-id"), printed);
        assertTrue(printed.contains("admin.port=9465    # default"), printed);
        assertTrue(printed.contains("simulated.stop.latency.ms=100    # default"), printed);
    }

    @Test
    void theAdapterStillNeedsCredentialsAndBindsThisMachine() {
        Settings s = load(Settings.ADAPTER, null, null, Map.of(), Map.of(), Map.of(), Map.of());
        AdapterConfig c = s.view(AdapterConfig::fromMap);
        assertEquals("127.0.0.1", c.httpHost());
        assertNull(c.credentialsFile(), "no default credentials");
        assertEquals(8080, c.httpPort());
    }

    /** A command's own scope; a subcommand's subcommand (audit verify) takes its command's: dev-tools' AuditSettingsTest. */
    @Test
    void aCommandTakesTheScopeOfItsName() {
        CommandLine cli = EdgeStopCli.commandLine();
        assertEquals(Settings.ORCHESTRATOR, Settings.forCommand(cli.getSubcommands().get("orchestrator").getCommandSpec()));
        assertEquals(Settings.CLI, Settings.forCommand(cli.getSubcommands().get("tail").getCommandSpec()));
    }

    /** A named flag sets the key of its descriptionKey: that key must be one of its command's. */
    @Test
    void everyNamedSettingFlagSetsAKeyOfItsCommand() {
        CommandLine cli = EdgeStopCli.commandLine();
        List<String> flags = new ArrayList<>();
        cli.getSubcommands().forEach((name, sub) -> {
            Settings.Scope scope = Settings.forCommand(name);
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (KafkaOptions.settingKey(o) != null) {
                    assertTrue(scope.defaults().containsKey(KafkaOptions.settingKey(o)),
                            name + " " + o.longestName() + " sets unknown key " + KafkaOptions.settingKey(o));
                    flags.add(name + " " + o.longestName());
                }
            }
        });
        assertTrue(flags.contains("orchestrator --admin-port") && flags.contains("edge-worker --cluster-id")
                && flags.contains("adapter --credentials-file") && flags.contains("topics --bootstrap-servers"), flags.toString());
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable run) {
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class, run);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
