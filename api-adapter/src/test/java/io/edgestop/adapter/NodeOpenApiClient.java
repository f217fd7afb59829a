package io.edgestop.adapter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Alibaba's Node Darabonba runtime (@alicloud/openapi-client, exact versions in
 * src/test/node/package-lock.json) run by {@code node}: the project in src/test/node is copied to
 * target/node-client and installed there with {@code npm ci} the first time, or when its lock file
 * changed. Node.js 18+ and npm must be on the PATH; without them the test fails, never skips.
 */
final class NodeOpenApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-client");

    private NodeOpenApiClient() {
    }

    /** Runs the cases in one {@code node} process, in order, and returns the outcome by case id. */
    static Map<String, String> outcomes(List<OpenApiCase> cases) throws IOException, InterruptedException {
        install();
        Files.copy(SOURCE.resolve("call.js"), WORK.resolve("call.js"), StandardCopyOption.REPLACE_EXISTING);
        Path input = WORK.resolve("cases.json");
        MAPPER.writeValue(input.toFile(), cases);
        String out = run(List.of("node", "call.js"), input, 120);
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (JsonNode r : MAPPER.readTree(out)) {
            outcomes.put(r.get("id").asText(), r.get("outcome").asText());
        }
        return outcomes;
    }

    private static void install() throws IOException, InterruptedException {
        Path lock = SOURCE.resolve("package-lock.json");
        Path installedLock = WORK.resolve("package-lock.json");
        if (Files.isDirectory(WORK.resolve("node_modules"))
                && Files.exists(installedLock) && Files.mismatch(lock, installedLock) == -1) {
            return;
        }
        Files.createDirectories(WORK);
        Files.copy(SOURCE.resolve("package.json"), WORK.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), null, 300);
    }

    private static String run(List<String> command, Path stdin, int timeoutSeconds) throws IOException, InterruptedException {
        Path stdout = WORK.resolve(command.get(0) + ".stdout.log");
        Path stderr = WORK.resolve(command.get(0) + ".stderr.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("'" + command.get(0) + "' cannot be started: the Node client tests need Node.js 18+ and"
                    + " npm on the PATH (./run-tests installs them; without Node run the rest with -DexcludedGroups=node)", e);
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                    + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
