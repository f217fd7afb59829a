package io.edgestop.devtools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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

import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.SignatureV1;
import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.launcher.Seed;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.JobStatus;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;

/**
 * The README's tour (docs/getting-started.md), in process: the dev stack (on the test broker, a
 * random HTTP port and a temporary data dir) with the demo seed; the example call printed at
 * READY; the directive consumed by a simulated worker; the job state STOPPED; the COMPLETED
 * result; the audit trail through {@code edge-stop tail audit}.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevStackWalkTest {

    private DevStack stack;
    private String readyOutput;
    private Path secrets;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dataDir) throws Exception {
        secrets = Files.createDirectories(dataDir.resolve("secrets"));
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

    /** What SIGTERM / Ctrl-C runs (Foreground closes the stack): bounded to 15 s. */
    @AfterAll
    void stop() {
        if (stack != null) {
            long t0 = System.nanoTime();
            stack.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.err.println("dev stack closed in " + ms + " ms");
            assertTrue(ms < 15_000, "the dev stack closed in " + ms + " ms");
        }
    }

    /** The dev stack wires the job query token on both sides; the seed's Alibaba fields reach the answer. */
    @Test
    void aGetShowsTheSeededJobWithAlibabasFields() throws Exception {
        Seed.Example example = stack.seed().example().orElseThrow();
        Map<String, String> params = new java.util.TreeMap<>(Map.of("Action", "GetEdgeTranscodeJob", "Version", "2016-11-01",
                "Format", "JSON", "AccessKeyId", example.credential().accessKeyId(),
                "SignatureMethod", SignatureV1.SIGNATURE_METHOD, "SignatureVersion", SignatureV1.SIGNATURE_VERSION,
                "SignatureNonce", java.util.UUID.randomUUID().toString(),
                "Timestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                "ClusterId", example.job().clusterId()));
        params.put("JobId", example.job().jobId());
        String signature = SignatureV1.sign(example.credential().accessKeySecret(), SignatureV1.stringToSign("GET", params));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.baseUrl().resolve("/") + "?"
                + SignatureV1.canonicalQuery(params) + "&Signature=" + AcsEncoding.percentEncode(signature)))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode job = AvroJson.MAPPER.readTree(r.body()).path("Job");
        assertEquals(example.job().jobId(), job.path("JobId").asText());
        assertEquals(example.job().createTime(), job.path("CreateTime").asText());
        assertEquals(example.job().templateName(), job.path("TemplateName").asText());
        assertEquals(example.job().streamInput(), job.path("StreamInput").asText());
        assertEquals(example.job().streamOutput(), job.path("StreamOutput").asText());
        assertEquals(example.job().type(), job.path("Type").asText());
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
                "--access-key-secret-file", secretFile(root), "--cluster-id", other.clusterId(), "--job-id", other.jobId());
        assertEquals(0, rc, out.toString());
        assertTrue(out.toString().contains("\"JobId\":\"" + other.jobId() + "\""), out.toString());

        Seed.Credential viewer = seed.credentials().stream().filter(c -> c.principal().equals("user/viewer"))
                .findFirst().orElseThrow();
        StringWriter denied = new StringWriter();
        rc = EdgeStopCli.commandLine(new PrintWriter(denied), new PrintWriter(new StringWriter())).execute("call",
                "--endpoint", stack.baseUrl().toString(), "--access-key-id", viewer.accessKeyId(),
                "--access-key-secret-file", secretFile(viewer), "--cluster-id", "edge-hangzhou-1",
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

    /**
     * Issue 11: {@code edge-stop seed FILE} with a job on a cluster that did not exist, a signed stop of it,
     * then of a seeded job elsewhere. The orchestrator creates the new cluster's directive topic, the dev
     * stack starts a worker for it, and both calls are decided at once (they used to wait 10 s for a 503
     * while the stream thread retried the send to the missing topic forever).
     */
    @Test
    void aClusterFirstSeenInALaterSeedIsServedAndStallsNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("new-cluster.yaml");
        java.nio.file.Files.writeString(file, """
                jobs:
                  - clusterId: edge-newcluster-9
                    jobId: newcluster-job-1
                    accountId: "1000000000000001"
                    domainName: live.example.com
                    status: RUNNING
                """);
        StringWriter out = new StringWriter();
        assertEquals(0, EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("seed", file.toString(),
                "--bootstrap-servers", stack.bootstrapServers(), "--topic-prefix", stack.topics().prefix()), out.toString());
        String topic = stack.topics().directives("edge-newcluster-9");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> admin.listTopics().names().get().contains(topic));
        }

        Seed.Credential root = stack.seed().example().orElseThrow().credential();
        long t0 = System.nanoTime();
        String newJob = call(root, "edge-newcluster-9", "newcluster-job-1");
        long newMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(newJob.contains("\"JobId\":\"newcluster-job-1\""), newJob);
        long t1 = System.nanoTime();
        String seeded = call(root, "edge-hangzhou-1", "5f3e1c0a9b7d4e2f8a6c1b3d5e7f9a03");
        long seededMs = (System.nanoTime() - t1) / 1_000_000;
        assertTrue(seeded.contains("\"JobId\":\"5f3e1c0a9b7d4e2f8a6c1b3d5e7f9a03\""), seeded);
        assertTrue(newMs < 5_000 && seededMs < 5_000, "decided in " + newMs + " and " + seededMs + " ms");

        // the new cluster's simulated worker received the directive and stopped the job
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.edge("edge-newcluster-9")
                .flatMap(e -> e.status("edge-newcluster-9", "newcluster-job-1")).orElse(null) == JobStatus.STOPPED);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                stack.currentJobStatuses().get(JobKey.of("edge-newcluster-9", "newcluster-job-1")) == JobStatus.STOPPED);
        System.err.println("new-cluster walk: new cluster's stop decided in " + newMs + " ms, seeded job's in " + seededMs + " ms");
    }

    /** The credential's secret in a file of its own, as {@code edge-stop call} takes it. */
    private String secretFile(Seed.Credential credential) {
        try {
            Path f = Files.createTempFile(secrets, credential.accessKeyId(), ".secret");
            return Files.writeString(f, credential.accessKeySecret() + "\n").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A signed call through {@code edge-stop call}; its output (the API's answer). */
    private String call(Seed.Credential credential, String clusterId, String jobId) {
        StringWriter out = new StringWriter();
        int rc = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("call",
                "--endpoint", stack.baseUrl().toString(), "--access-key-id", credential.accessKeyId(),
                "--access-key-secret-file", secretFile(credential), "--cluster-id", clusterId, "--job-id", jobId);
        assertEquals(0, rc, out.toString());
        return out.toString();
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
