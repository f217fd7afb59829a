package io.edgestop.devtools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.launcher.Seed;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * The operator console in a real browser: Debian's chromium ({@code /usr/bin/chromium}) driven by
 * playwright-core (src/test/node, installed into target/console-browser with {@code npm ci}), against
 * the dev stack on the test broker after real signed calls. It clicks through a stop's story, sees
 * new calls arrive without a reload (a decision, a stop pending then completed), checks the 401 and that no secret is shown, and keeps
 * a screenshot at target/console.png. Chromium, Node.js 20+ (playwright-core's minimum) and npm must be installed (./run-tests
 * installs them); without them the test fails, never skips.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "console-browser");
    private static final Path SCREENSHOT = Path.of("target", "console.png").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long a simulated worker takes to stop a job: long enough for the page to show the stop pending. */
    private static final Duration STOP_LATENCY = Duration.ofSeconds(5);

    private DevStack stack;
    private String readyOutput;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dataDir) throws Exception {
        stack = DevStack.start(DevStack.Options.defaults()
                .withBootstrapServers(broker.bootstrapServers())
                .withTopicPrefix(broker.uniquePrefix())
                .withHttpPort(0)
                .withDataDir(dataDir)
                .withStopLatency(STOP_LATENCY));
        StringWriter out = new StringWriter();
        DevCommand.printReady(new PrintWriter(out), stack, "demo", 0);
        readyOutput = out.toString();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anOperatorFollowsAStopThroughTheConsole() throws Exception {
        URI console = stack.consoleUrl();
        assertEquals("127.0.0.1", console.getHost(), "the console binds to this machine only");
        assertTrue(readyOutput.contains("# Console: " + console + " (user operator, password " + stack.consolePassword()),
                readyOutput);

        // the credential: nothing without it, nor with a wrong one; Basic (any user) and Bearer with it
        assertEquals(401, get(console.resolve("/api/overview"), null).statusCode());
        assertEquals(401, get(console.resolve("/"), basic("operator", "not-the-password")).statusCode());
        assertEquals(401, get(console.resolve("/api/events"), "Bearer wrong").statusCode());
        assertEquals(200, get(console.resolve("/"), basic("anyone", stack.consolePassword())).statusCode());

        Seed.Credential ops = credential("user/live-ops");
        Seed.Job job = stack.seed().jobs().stream().filter(j -> j.jobId().equals("5f3e1c0a9b7d4e2f8a6c1b3d5e7f9a01"))
                .findFirst().orElseThrow();
        String requestId = stop(ops, job.clusterId(), job.jobId(), 200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api("/api/search?q=" + requestId).path(0).path("outcome").asText().equals("COMPLETED"));

        List<String> secrets = new ArrayList<>(stack.seed().credentials().stream().map(Seed.Credential::accessKeySecret).toList());
        secrets.add(stack.consolePassword());
        for (String path : List.of("/api/overview", "/api/story?requestId=" + requestId, "/api/search?q=" + ops.accessKeyId())) {
            String body = get(console.resolve(path), bearer()).body();
            secrets.forEach(s -> assertFalse(body.contains(s), path + " shows a secret"));
        }

        Path input = install().resolve("case.json");
        AvroJson.MAPPER.writeValue(input.toFile(), Map.of(
                "url", console.toString(), "password", stack.consolePassword(), "requestId", requestId,
                "jobId", job.jobId(), "accessKeyId", ops.accessKeyId(), "statement", "LiveOpsStopEdgeJobs#0",
                "liveCode", "Forbidden", "secrets", secrets, "screenshot", SCREENSHOT.toString()));
        Files.deleteIfExists(SCREENSHOT);
        Process browser = new ProcessBuilder("node", "console.js", input.getFileName().toString()).directory(WORK.toFile())
                .redirectError(WORK.resolve("console.stderr.log").toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder transcript = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> nextLine(lines, transcript, browser).equals("LIVE?"));
            // calls the page did not see yet: a RAM user without a policy, and the root stopping another job
            String denied = stop(credential("user/viewer"), job.clusterId(), "5f3e1c0a9b7d4e2f8a6c1b3d5e7f9a02", 403);
            String pending = stop(credential("root"), job.clusterId(), "5f3e1c0a9b7d4e2f8a6c1b3d5e7f9a03", 200);
            OutputStream toBrowser = browser.getOutputStream();
            toBrowser.write((denied + "\n" + pending + "\n").getBytes(StandardCharsets.UTF_8));
            toBrowser.flush();
            assertTrue(browser.waitFor(60, TimeUnit.SECONDS), "the browser run did not finish: " + transcript);
            reader.join(5_000);
            lines.forEach(l -> transcript.append(l).append('\n'));
            assertEquals(0, browser.exitValue(), transcript + Files.readString(WORK.resolve("console.stderr.log")));
            assertTrue(transcript.toString().contains("DONE"), transcript.toString());
        } finally {
            browser.destroyForcibly();
        }
        assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot " + SCREENSHOT);
        System.err.println("console browser run:\n" + transcript);
    }

    /** The next line the browser run printed ("" when none yet); fails fast when it died. */
    private static String nextLine(BlockingQueue<String> lines, StringBuilder transcript, Process browser)
            throws InterruptedException, IOException {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) {
            if (!browser.isAlive() && lines.isEmpty()) {
                throw new AssertionError("the browser run ended early (" + browser.exitValue() + "): " + transcript
                        + Files.readString(WORK.resolve("console.stderr.log")));
            }
            return "";
        }
        transcript.append(line).append('\n');
        return line;
    }

    /** A signed V1 stop; its RequestId. */
    private String stop(Seed.Credential c, String clusterId, String jobId, int status) throws Exception {
        StopJobClient.HttpResult r = new StopJobClient(stack.baseUrl(), c.accessKeyId(), c.accessKeySecret())
                .stopV1(clusterId, jobId);
        assertEquals(status, r.status(), r.body());
        return AvroJson.MAPPER.readTree(r.body()).path("RequestId").asText();
    }

    private Seed.Credential credential(String principal) {
        return stack.seed().credentials().stream().filter(c -> c.principal().equals(principal)).findFirst().orElseThrow();
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = get(stack.consoleUrl().resolve(path), bearer());
        assertEquals(200, r.statusCode(), r.body());
        return AvroJson.MAPPER.readTree(r.body());
    }

    private String bearer() {
        return "Bearer " + stack.consolePassword();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** src/test/node copied to target/console-browser; {@code npm ci} when its lock file changed. */
    private static Path install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        Files.copy(SOURCE.resolve("console.js"), WORK.resolve("console.js"), StandardCopyOption.REPLACE_EXISTING);
        Path lock = SOURCE.resolve("package-lock.json");
        Path installed = WORK.resolve("package-lock.json");
        if (Files.isDirectory(WORK.resolve("node_modules")) && Files.exists(installed) && Files.mismatch(lock, installed) == -1) {
            return WORK;
        }
        Files.copy(SOURCE.resolve("package.json"), WORK.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(lock, installed, StandardCopyOption.REPLACE_EXISTING);
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts").directory(WORK.toFile())
                    .redirectErrorStream(true).redirectOutput(WORK.resolve("npm.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("npm cannot be started: the console browser test needs Node.js 20+, npm and chromium"
                    + " (./run-tests installs them)", e);
        }
        assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm ci did not finish in 300 s");
        assertEquals(0, npm.exitValue(), "npm ci: " + Files.readString(WORK.resolve("npm.log")));
        return WORK;
    }
}
