package io.edgestop.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.schema.JobStatus;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;

/**
 * The README's walk, in process: the dev stack (on the test broker, a random HTTP port and a
 * temporary data dir) with the demo seed; the example call printed at READY; the directive
 * consumed by a simulated worker; the job state STOPPED; the COMPLETED result; the audit trail
 * through {@code edge-stop tail audit}.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevStackWalkTest {

    private DevStack stack;
    private String readyOutput;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dataDir) throws Exception {
        long t0 = System.nanoTime();
        stack = DevStack.start(DevStack.Options.defaults()
                .withBootstrapServers(broker.bootstrapServers())
                .withTopicPrefix(broker.uniquePrefix())
                .withHttpPort(0)
                .withDataDir(dataDir));
        StringWriter out = new StringWriter();
        DevCommand.printReady(new PrintWriter(out), stack, "demo", (System.nanoTime() - t0) / 1_000_000);
        readyOutput = out.toString();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void thePrintedExampleStopsASeededJobAndTheAuditShowsTheWholeStory() throws Exception {
        List<String> lines = readyOutput.lines().toList();
        assertTrue(lines.get(0).startsWith("READY " + stack.baseUrl()), readyOutput);
        String curl = lines.stream().filter(l -> l.startsWith("curl -s '")).findFirst().orElseThrow();
        String url = curl.substring("curl -s '".length(), curl.length() - 1);
        Seed.Job job = stack.seed().example().orElseThrow().job();

        // the signed call, exactly as printed
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = AvroJson.MAPPER.readTree(response.body());
        assertEquals(job.jobId(), body.path("JobId").asText());
        String requestId = body.path("RequestId").asText();
        assertTrue(!requestId.isEmpty(), response.body());

        // a simulated worker of the job's cluster stopped it, once
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.edge(job.clusterId()).orElseThrow()
                .status(job.clusterId(), job.jobId()).orElseThrow() == JobStatus.STOPPED);
        assertEquals(1, stack.edge(job.clusterId()).orElseThrow().stopCount(job.clusterId(), job.jobId()));

        // the orchestrator recorded the worker's report as the job's observation (it never writes job-state)
        await().atMost(Duration.ofSeconds(30)).until(() ->
                stack.currentJobStatuses().get(JobKey.of(job.clusterId(), job.jobId())) == JobStatus.STOPPED);

        // results: ACCEPTED then COMPLETED; audit: the command and decision, the directive, the completion
        await().atMost(Duration.ofSeconds(30)).until(() -> tail("results").stream()
                .anyMatch(r -> r.at("/value/jobId").asText().equals(job.jobId())
                        && r.at("/value/outcome").asText().equals("COMPLETED")));
        List<JsonNode> audit = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            audit.clear();
            tail("audit").stream().filter(r -> r.at("/value/command/jobId").asText().equals(job.jobId())
                    || r.at("/value/requestId").asText().equals(requestId)).forEach(audit::add);
            return audit.stream().anyMatch(r -> r.at("/value/eventType").asText().equals("COMPLETED"));
        });
        JsonNode decision = audit.stream().filter(r -> r.at("/value/eventType").asText().equals("DECISION"))
                .findFirst().orElseThrow(() -> new AssertionError("no DECISION in " + audit));
        assertEquals("ACCEPTED", decision.at("/value/outcome").asText(), decision.toString());
        assertEquals(job.clusterId(), decision.at("/value/command/clusterId").asText(), "the command is in the audit");
        assertTrue(decision.at("/value/directiveId").asText().startsWith(decision.at("/value/requestId").asText() + "#"),
                "the directive is in the audit: " + decision);

        // and the directive itself went to the job's cluster topic
        assertTrue(tail("directives").stream().anyMatch(r -> r.at("/value/jobId").asText().equals(job.jobId())
                && r.get("topic").asText().equals(stack.topics().directives(job.clusterId()))));
    }

    @Test
    void theCallCommandSignsAndSendsAndFailsOnADeniedCall() {
        Seed seed = stack.seed();
        Seed.Credential root = seed.example().orElseThrow().credential();
        Seed.Job other = seed.jobs().stream().filter(j -> j.clusterId().equals("edge-shanghai-1")
                && j.accountId().equals(root.accountId()) && Seed.statusOf(j) == JobStatus.RUNNING).findFirst().orElseThrow();
        StringWriter out = new StringWriter();
        int rc = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute("call",
                "--endpoint", stack.baseUrl().toString(), "--access-key-id", root.accessKeyId(),
                "--access-key-secret", root.accessKeySecret(), "--cluster-id", other.clusterId(), "--job-id", other.jobId());
        assertEquals(0, rc, out.toString());
        assertTrue(out.toString().contains("\"JobId\":\"" + other.jobId() + "\""), out.toString());

        Seed.Credential viewer = seed.credentials().stream().filter(c -> c.principal().equals("user/viewer"))
                .findFirst().orElseThrow();
        StringWriter denied = new StringWriter();
        rc = EdgeStopCli.commandLine(new PrintWriter(denied), new PrintWriter(new StringWriter())).execute("call",
                "--endpoint", stack.baseUrl().toString(), "--access-key-id", viewer.accessKeyId(),
                "--access-key-secret", viewer.accessKeySecret(), "--cluster-id", "edge-hangzhou-1",
                "--job-id", "5f3e1c0a9b7d4e2f8a6c1b3d5e7f9a02", "--v3");
        assertEquals(1, rc, denied.toString());
        assertTrue(denied.toString().contains("\"Code\":\"Forbidden\""), "a RAM user without policy: " + denied);
    }

    @Test
    void theTopicsAndSeedCommandsPrepareAnotherDeployment() throws Exception {
        String prefix = "other-" + stack.topics().prefix();
        String[] kafka = {"--bootstrap-servers", stack.bootstrapServers(), "--topic-prefix", prefix};
        StringWriter out = new StringWriter();
        assertEquals(0, EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(out)).execute(concat(
                new String[] {"topics", "--partitions", "2", "--seed", "demo", "--cluster", "extra-1"}, kafka)), out.toString());
        assertEquals(0, EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(out)).execute(concat(
                new String[] {"seed", "demo"}, kafka)), out.toString());
        io.edgestop.topics.Topics other = new io.edgestop.topics.Topics(prefix);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            var names = admin.listTopics().names().get();
            assertTrue(names.containsAll(other.fixed()), names.toString());
            assertTrue(names.contains(other.directives("edge-hangzhou-1")) && names.contains(other.directives("extra-1")));
            assertEquals(7L, admin.listOffsets(Map.of(
                    new org.apache.kafka.common.TopicPartition(other.jobState(), 0),
                    org.apache.kafka.clients.admin.OffsetSpec.latest(),
                    new org.apache.kafka.common.TopicPartition(other.jobState(), 1),
                    org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum(),
                    "the seed's seven jobs");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private List<JsonNode> tail(String stream) throws Exception {
        StringWriter out = new StringWriter();
        int rc = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute("tail", stream,
                "--bootstrap-servers", stack.bootstrapServers(), "--topic-prefix", stack.topics().prefix(),
                "--from-beginning", "--idle-timeout-ms", "700");
        assertEquals(0, rc);
        List<JsonNode> records = new ArrayList<>();
        for (String line : out.toString().lines().toList()) {
            records.add(AvroJson.MAPPER.readTree(line));
        }
        return records;
    }
}
