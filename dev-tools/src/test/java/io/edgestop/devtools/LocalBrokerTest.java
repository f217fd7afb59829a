package io.edgestop.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.edgestop.launcher.EdgeStopCli;
import picocli.CommandLine;

/**
 * docker-compose.local.yml's Kafka (ops/docker/smoke-test runs it for real): {@code edge-stop broker} with the official
 * service's listeners, from the development tools' image (the Dockerfile's target dev-tools: the production image has
 * no broker), built on the same local base images as the other services. The rest of the override: the launcher's
 * ComposeFileTest.
 */
class LocalBrokerTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    @SuppressWarnings("unchecked")
    void kafkaRunsAsTheDevelopmentToolsBroker() throws Exception {
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>)
                new Yaml().<Map<String, Object>>load(Files.readString(ROOT.resolve("docker-compose.yml"))).get("services");
        Map<String, Map<String, Object>> overrides = (Map<String, Map<String, Object>>)
                new Yaml().<Map<String, Object>>load(Files.readString(ROOT.resolve("docker-compose.local.yml"))).get("services");

        Map<String, Object> kafka = overrides.get("kafka");
        Map<String, Object> build = (Map<String, Object>) kafka.get("build");
        assertEquals("dev-tools", build.get("target"));
        assertTrue(Files.readAllLines(ROOT.resolve("Dockerfile")).stream().anyMatch(l -> l.matches("FROM \\S+ AS dev-tools")),
                "the Dockerfile has the target");
        assertEquals(((Map<String, Object>) overrides.get("topics").get("build")).get("args"), build.get("args"),
                "on the local base images");
        assertNotEquals(services.get("topics").get("image"), kafka.get("image"), "an image of its own, not the production one");
        assertTrue(Files.readString(ROOT.resolve("ops/docker/smoke-test")).contains("--target dev-tools -t " + kafka.get("image")),
                "the smoke test builds it");

        List<String> cmd = ((List<?>) kafka.get("command")).stream().map(Object::toString).toList();
        CommandLine.ParseResult broker = EdgeStopCli.commandLine().parseArgs(cmd.toArray(String[]::new)).subcommand();
        assertEquals("broker", broker.commandSpec().name());
        Map<String, Object> official = (Map<String, Object>) services.get("kafka").get("environment");
        assertEquals(official.get("KAFKA_LISTENERS"), broker.matchedOptionValue("--listeners", ""));
        assertEquals(official.get("KAFKA_ADVERTISED_LISTENERS"), broker.matchedOptionValue("--advertised-listeners", ""));
        // as compose resolves ${VARIABLE:-default} when the variable is unset
        new EmbeddedKafka.Listeners(broker.matchedOptionValue("--listeners", ""),
                broker.matchedOptionValue("--advertised-listeners", "").replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1"));
        List<String> health = ((List<?>) ((Map<String, Object>) kafka.get("healthcheck")).get("test")).stream().map(Object::toString).toList();
        assertEquals(List.of("CMD", "test", "-f", broker.matchedOptionValue("--ready-file", Path.of("")).toString()), health,
                "healthy once the broker wrote its ready file");
    }
}
