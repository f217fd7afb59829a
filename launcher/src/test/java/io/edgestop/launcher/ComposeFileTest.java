package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import picocli.CommandLine;

/**
 * docker-compose.yml, docker-compose.local.yml and the Dockerfile checked statically (ops/docker/smoke-test
 * runs them for real with a Docker engine): YAML syntax (SnakeYAML, with anchors and merge keys resolved as compose does), the
 * services docs/operations.md promises, start order (depends_on targets exist, are acyclic, and have the
 * health check or one-shot nature their condition needs) and that every edge-stop command line
 * parses with the real CLI.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        assertNotNull(services);
    }

    @Test
    void hasTheServicesTheReadmePromises() {
        assertTrue(services.get("kafka").get("image").toString().startsWith("apache/kafka:"));
        for (String s : List.of("topics", "seed", "orchestrator-1", "orchestrator-2", "adapter")) {
            assertTrue(services.containsKey(s), s);
            assertEquals(".", services.get(s).get("build"), s + " is built from the project's Dockerfile");
        }
        assertTrue(((List<?>) services.get("adapter").get("ports")).contains("${EDGE_STOP_HTTP_PORT:-8080}:8080"));
        Set<String> clusters = new TreeSet<>();
        services.forEach((name, s) -> {
            List<?> cmd = command(s);
            if (!cmd.isEmpty() && cmd.get(0).equals("edge-worker")) {
                clusters.add(cmd.get(cmd.indexOf("--cluster-id") + 1).toString());
            }
        });
        assertEquals(Set.of("edge-hangzhou-1", "edge-shanghai-1"), clusters, "edge workers for two clusters");
        // the demo data is a choice the file states, not a fallback (its access keys are public)
        assertTrue(command(services.get("adapter")).containsAll(List.of("--seed", "demo")), "adapter credentials");
        assertEquals(List.of("seed", "demo"), command(services.get("seed")).subList(0, 2));
    }

    @Test
    @SuppressWarnings("unchecked")
    void startOrderIsSound() {
        Map<String, Set<String>> edges = new java.util.HashMap<>();
        services.forEach((name, s) -> {
            Set<String> deps = new HashSet<>();
            Object dependsOn = s.get("depends_on");
            if (dependsOn instanceof Map<?, ?> m) {
                m.forEach((target, spec) -> {
                    assertTrue(services.containsKey(target), name + " depends on unknown " + target);
                    String condition = ((Map<String, Object>) spec).get("condition").toString();
                    Map<String, Object> t = services.get(target);
                    switch (condition) {
                        case "service_healthy" -> assertNotNull(t.get("healthcheck"), target + " needs a health check");
                        case "service_completed_successfully" -> assertEquals("no", String.valueOf(t.get("restart")),
                                target + " is a one-shot job");
                        default -> fail(name + ": unexpected condition " + condition);
                    }
                    deps.add(target.toString());
                });
            }
            edges.put(name, deps);
            if (!name.equals("kafka") && !"no".equals(String.valueOf(s.get("restart")))) {
                assertNotNull(s.get("healthcheck"), "long-running " + name + " has a health check");
            }
        });
        // acyclic: repeatedly remove services whose dependencies are all removed
        Set<String> done = new HashSet<>();
        List<String> order = new ArrayList<>();
        while (done.size() < edges.size()) {
            List<String> next = edges.keySet().stream().filter(n -> !done.contains(n) && done.containsAll(edges.get(n)))
                    .sorted().toList();
            assertTrue(!next.isEmpty(), "depends_on has a cycle among " + edges.keySet());
            done.addAll(next);
            order.addAll(next);
        }
        assertTrue(order.indexOf("kafka") < order.indexOf("topics"));
        assertTrue(order.indexOf("orchestrator-1") < order.indexOf("adapter"));
        assertTrue(order.indexOf("seed") < order.indexOf("orchestrator-2"));
    }

    @Test
    void everyEdgeStopCommandParses() {
        services.forEach((name, s) -> {
            if (".".equals(s.get("build"))) {
                List<String> cmd = command(s).stream().map(Object::toString).toList();
                try {
                    EdgeStopCli.commandLine().parseArgs(cmd.toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    fail(name + ": " + cmd + " does not parse: " + e.getMessage());
                }
            }
        });
    }

    /** The components' settings resolve by the one rule (no unknown key, every value accepted), as they would at start. */
    @Test
    void everyComponentsSettingsResolve() {
        int components = 0;
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            List<String> cmd = new ArrayList<>(command(e.getValue()).stream().map(Object::toString).toList());
            if (!cmd.isEmpty() && Settings.SCOPES.stream().anyMatch(s -> s.name().equals(cmd.get(0)))) {
                cmd.add("--print-settings");
                java.io.StringWriter out = new java.io.StringWriter();
                java.io.StringWriter err = new java.io.StringWriter();
                int code = EdgeStopCli.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err))
                        .execute(cmd.toArray(String[]::new));
                assertEquals(0, code, e.getKey() + ": " + err);
                assertTrue(out.toString().contains("bootstrap.servers=kafka:9092    # --bootstrap-servers"), e.getKey() + ": " + out);
                components++;
            }
        }
        assertEquals(5, components, "two orchestrators, the adapter, two edge workers");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJobQueryEndpointsAndTheirCallerShareATokenFile() {
        // made by a one-shot job into a volume, not written in the file (no default credentials)
        Map<String, Object> maker = services.get("query-token");
        assertEquals("no", String.valueOf(maker.get("restart")));
        assertTrue(((List<?>) maker.get("volumes")).contains("query-token:/run/edge-stop"));
        assertTrue(command(maker).toString().contains("/dev/urandom"), "a random token");
        services.forEach((name, s) -> {
            List<String> cmd = command(s).stream().map(Object::toString).toList();
            if (cmd.stream().anyMatch(a -> a.startsWith("query.port=") || a.startsWith("query.urls="))) {
                assertTrue(cmd.contains("query.token.file=/run/edge-stop/query-token"), name + " names the token file");
                assertTrue(cmd.stream().noneMatch(a -> a.startsWith("query.token=")), name + " has no token in its command");
                assertTrue(((List<?>) s.get("volumes")).contains("query-token:/run/edge-stop:ro"), name + " mounts the token");
                Map<String, Object> deps = (Map<String, Object>) s.get("depends_on");
                assertEquals("service_completed_successfully",
                        ((Map<String, Object>) deps.get("query-token")).get("condition"), name + " starts after the token exists");
            }
        });
    }

    @Test
    void theDockerfileBuildsTheLauncherAndCopiesOnlyExistingPaths() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("/app/edge-stop.jar")));
        // the production image, the last stage: the launcher's jars only, no development tool
        List<String> production = lines.subList(IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("FROM "))
                .max().orElseThrow(), lines.size());
        assertTrue(production.stream().anyMatch(l -> l.startsWith("COPY --from=build /src/launcher/target/lib ")), production.toString());
        assertTrue(production.stream().noneMatch(l -> l.contains("dev-tools")), production.toString());
        for (String l : lines) {
            if (l.startsWith("COPY ") && !l.contains("--from")) {
                String[] parts = l.substring(5).trim().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    assertTrue(Files.exists(ROOT.resolve(parts[i])), "Dockerfile copies missing " + parts[i]);
                }
            }
        }
    }

    /**
     * docker-compose.local.yml (run for real by ops/docker/smoke-test): it only changes what the base
     * file has, and builds every edge-stop service on the base images ops/docker/base-images makes, through the
     * Dockerfile's arguments. Its Kafka, {@code edge-stop broker} from the development tools' image: dev-tools'
     * LocalBrokerTest.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theLocalOverrideBuildsOnTheLocalBaseImages() throws Exception {
        Map<String, Object> local = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.local.yml")));
        Map<String, Map<String, Object>> overrides = (Map<String, Map<String, Object>>) local.get("services");
        assertTrue(services.keySet().containsAll(overrides.keySet()), "the override adds no service: " + overrides.keySet());

        String baseImages = Files.readString(ROOT.resolve("ops/docker/base-images"));
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        for (String arg : List.of("JDK_IMAGE", "JRE_IMAGE")) {
            assertTrue(dockerfile.contains("ARG " + arg + "=") && dockerfile.contains("FROM ${" + arg + "}"), "Dockerfile FROM ${" + arg + "}");
        }
        services.forEach((name, s) -> {
            if (".".equals(s.get("build"))) {
                Map<String, Object> build = (Map<String, Object>) overrides.get(name).get("build");
                assertNotNull(build, name + " is built on the local base images");
                ((Map<String, Object>) build.get("args")).forEach((arg, image) ->
                        assertTrue(baseImages.contains(arg + "=" + image + "\n"), name + ": " + arg + "=" + image + " is made by base-images"));
            }
        });
        assertTrue(baseImages.contains("=" + overrides.get("query-token").get("image") + "\n"), "query-token's image is made by base-images");
    }

    private static List<?> command(Map<String, Object> service) {
        Object c = service.get("command");
        return c instanceof List<?> l ? l : List.of();
    }
}
