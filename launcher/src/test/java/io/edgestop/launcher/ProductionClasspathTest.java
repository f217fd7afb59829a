package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production components' runtime classpath (the launcher's: what target/lib and the image's /app/lib hold)
 * carries no embedded broker and no Kafka Streams test driver; the development tools that need them are in
 * dev-tools. The classpath is the one Maven resolves for the launcher's runtime (target/runtime-classpath.txt, the
 * scope target/lib is copied from); {@code edge-stop} started on it runs a component's command and lists no
 * development tool.
 */
class ProductionClasspathTest {

    /** The Kafka artifacts production runs on: the clients and Kafka Streams. */
    private static final Set<String> KAFKA_ARTIFACTS = Set.of("kafka-clients", "kafka-streams");
    /** A class of each kept out: the broker (kafka_2.13), its Raft layer (kafka-raft) and the test driver (kafka-streams-test-utils). */
    private static final List<String> KEPT_OUT = List.of("kafka.server.KafkaRaftServer", "org.apache.kafka.raft.KafkaRaftClient",
            "org.apache.kafka.streams.TopologyTestDriver");

    private static List<Path> classpath;

    @BeforeAll
    static void read() throws IOException {
        classpath = new ArrayList<>();
        classpath.add(Path.of("target", "classes").toAbsolutePath());
        Stream.of(Files.readString(Path.of("target", "runtime-classpath.txt")).strip().split(File.pathSeparator))
                .map(Path::of).forEach(classpath::add);
    }

    @Test
    void noKafkaArtifactButTheClientsAndStreams() {
        List<String> kafka = classpath.stream()
                .filter(p -> p.getNameCount() > 5 && p.getParent().getParent().getParent().endsWith(Path.of("org", "apache", "kafka")))
                .map(p -> p.getParent().getParent().getFileName().toString()).sorted().toList();
        assertEquals(List.of(), kafka.stream().filter(a -> !KAFKA_ARTIFACTS.contains(a)).toList(),
                "Kafka artifacts on the production classpath: " + kafka);
    }

    @Test
    void noBrokerAndNoTestDriverClass() throws IOException {
        URL[] urls = classpath.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
        try (URLClassLoader production = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            assertNotNull(production.getResource(EdgeStopCli.class.getName().replace('.', '/') + ".class"), "the classpath is read");
            for (String c : KEPT_OUT) {
                assertNull(production.getResource(c.replace('.', '/') + ".class"), c + " is on the production classpath");
            }
        }
    }

    @Test
    void edgeStopRunsAComponentAndListsNoDevelopmentTool() throws Exception {
        Run help = run("help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().lines().anyMatch(l -> l.matches("\\s+orchestrator\\s.*")), help.output());
        assertTrue(help.output().lines().noneMatch(l -> l.matches("\\s+(dev|broker|console|audit)\\s.*")), help.output());
        assertTrue(help.output().contains("module dev-tools"), "help says where the development tools are: " + help.output());

        Run orchestrator = run("orchestrator", "--help");
        assertEquals(0, orchestrator.exitCode(), orchestrator.output());
        assertTrue(orchestrator.output().startsWith("Usage: edge-stop orchestrator"), orchestrator.output());
    }

    private record Run(int exitCode, String output) {
    }

    /** {@code edge-stop ARGS} in a JVM of its own on the production classpath. */
    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()), EdgeStopCli.class.getName()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(Path.of("target"), "edge-stop-", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("edge-stop " + String.join(" ", args) + " did not exit within 60 s: " + Files.readString(output));
        }
        return new Run(p.exitValue(), Files.readString(output));
    }
}
