package io.edgestop.devtools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * {@code edge-stop audit verify} and {@code what-if} on a dev stack's audit stream, on the real
 * broker: real decisions (accepted, Forbidden, JobNotFound, Throttling.User) are verified without a
 * difference; other deciding settings and a forged audit record are reported as differences; other
 * policies and settings change exactly the decisions they decide.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditCommandTest {

    private static final String ACCOUNT = "1000000000000001";
    private static final String SMALL = "1000000000000003";

    private static final String SEED = """
            accounts:
              - {accountId: "1000000000000001", edgeTranscodeEnabled: true}
              - {accountId: "1000000000000003", edgeTranscodeEnabled: true, stopCallsPerMinute: 1}
            credentials:
              - {accessKeyId: AKAUDITROOT1, accessKeySecret: auditRootSecret1xxxx, accountId: "1000000000000001", principal: root}
              - {accessKeyId: AKAUDITOPS02, accessKeySecret: auditOpsSecret02xxxx, accountId: "1000000000000001", principal: user/live-ops}
              - {accessKeyId: AKAUDITVIEW3, accessKeySecret: auditViewSecret3xxxx, accountId: "1000000000000001", principal: user/viewer}
              - {accessKeyId: AKAUDITSMAL4, accessKeySecret: auditSmallSecret4xxx, accountId: "1000000000000003", principal: root}
            policies:
              - accountId: "1000000000000001"
                principal: user/live-ops
                policyName: LiveOpsStopEdgeJobs
                document: {Version: "1", Statement: [{Effect: Allow, Action: "live:StopEdgeTranscodeJob",
                           Resource: "acs:live:*:1000000000000001:domain/live.example.com"}]}
            jobs:
              - {clusterId: edge-a, jobId: job-root, accountId: "1000000000000001", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-ops, accountId: "1000000000000001", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-other, accountId: "1000000000000001", domainName: other.example.com}
              - {clusterId: edge-b, jobId: job-viewer, accountId: "1000000000000001", domainName: live.example.com}
              - {clusterId: edge-b, jobId: job-small, accountId: "1000000000000003", domainName: live.example.com}
            """;

    private DevStack stack;
    private Path dir;
    /** requestId of each call, by name. */
    private final Map<String, String> requests = new LinkedHashMap<>();

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dir) throws Exception {
        this.dir = dir;
        Path seed = Files.writeString(dir.resolve("seed.yaml"), SEED);
        stack = DevStack.start(new DevStack.Options(broker.bootstrapServers(), 0, dir.resolve("data"), seed, false,
                broker.uniquePrefix(), "127.0.0.1", 0, 3, Duration.ofMillis(100), 0.0));
        call("root", "AKAUDITROOT1", "auditRootSecret1xxxx", "edge-a", "job-root", 200);
        call("ops", "AKAUDITOPS02", "auditOpsSecret02xxxx", "edge-a", "job-ops", 200);
        call("ops-other-domain", "AKAUDITOPS02", "auditOpsSecret02xxxx", "edge-a", "job-other", 403);
        call("viewer", "AKAUDITVIEW3", "auditViewSecret3xxxx", "edge-b", "job-viewer", 403);
        call("no-such-job", "AKAUDITROOT1", "auditRootSecret1xxxx", "edge-a", "job-none", 404);
        call("small", "AKAUDITSMAL4", "auditSmallSecret4xxx", "edge-b", "job-small", 200);
        call("small-again", "AKAUDITSMAL4", "auditSmallSecret4xxx", "edge-b", "job-small", 429);
        // the three accepted stops end COMPLETED (their workers' reports are inputs of the replay too)
        await().atMost(Duration.ofSeconds(30)).until(() -> audit().stream()
                .filter(r -> r.getEventType() == AuditEventType.COMPLETED).count() == 3);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void verifyFindsEveryRecordedDecisionReproduced() {
        Run run = cli("audit", "verify", "--progress", "on");
        assertEquals(0, run.rc, run.out + run.err);
        assertTrue(run.out.contains(" 0 differences"), run.out);
        assertTrue(run.out.contains("OK: the chains hold and every recorded decision is what the current code decides"), run.out);
        // 7 decisions and 3 completions, each compared (ticks may add records after the audit was read: not yet recorded)
        assertTrue(run.out.matches("(?s).*summary: 10 audit records compared \\(the beginning \\.\\. the end\\), 10 identical.*"), run.out);
        assertTrue(run.out.matches("(?s).*read: [0-9,]+ audit records, [0-9,]+ input records read, in [0-9.]+ s \\([0-9,]+ records/s\\).*"),
                run.out);
        assertTrue(run.err.contains("records/s") && run.err.contains("%"), "the progress bar on stderr: " + run.err);
        assertTrue(!run.out.contains("DIFFERENCE"), run.out);
    }

    @Test
    @Order(2)
    void whatIfOtherPoliciesPrintsExactlyTheDecisionsTheyChange() throws Exception {
        Path policies = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  - accountId: "1000000000000001"
                    principal: user/live-ops
                    policyName: NoStops
                    document: {Version: "1", Statement: [{Effect: Deny, Action: "live:StopEdgeTranscodeJob", Resource: "*"}]}
                  - accountId: "1000000000000001"
                    principal: user/viewer
                    policyName: ViewerMayStop
                    document: {Version: "1", Statement: [{Effect: Allow, Action: "live:*", Resource: "acs:live:*:1000000000000001:domain/*"}]}
                """);
        Run run = cli("audit", "what-if", "--policies", policies.toString());
        assertEquals(0, run.rc, run.out + run.err);
        List<String> changes = run.out.lines().filter(l -> l.startsWith("CHANGE ")).toList();
        assertEquals(2, changes.size(), run.out);
        assertTrue(changes.get(0).contains(" request=" + requests.get("ops") + " job=edge-a/job-ops principal=acs:ram::"
                + ACCOUNT + ":user/live-ops before=ACCEPTED after=REJECTED/Forbidden statement=\"Deny by NoStops#0\""
                + " was=\"Allow by LiveOpsStopEdgeJobs#0\""), changes.get(0));
        assertTrue(changes.get(1).contains(" request=" + requests.get("viewer") + " job=edge-b/job-viewer principal=acs:ram::"
                + ACCOUNT + ":user/viewer before=REJECTED/Forbidden after=ACCEPTED statement=\"Allow by ViewerMayStop#0\""
                + " was=\"no statement allowed\""), changes.get(1));
        assertTrue(run.out.contains("summary: 7 decisions re-evaluated (the beginning .. the end), 2 would change, 5 unchanged, 0 not re-evaluated"),
                run.out);
        assertTrue(run.out.contains("\n  1 ACCEPTED -> REJECTED/Forbidden\n  1 REJECTED/Forbidden -> ACCEPTED\n"), run.out);
        assertTrue(!run.out.contains("note:"), "the baseline reproduces every recorded decision: " + run.out);
        assertTrue(run.err.isEmpty(), "no progress bar unless asked or on a terminal: " + run.err);
    }

    @Test
    @Order(3)
    void whatIfOtherSettingsAndAWindow() throws Exception {
        Path settings = Files.writeString(dir.resolve("settings.yaml"), """
                accounts:
                  - {accountId: "1000000000000003", edgeTranscodeEnabled: false, stopCallsPerMinute: 1}
                """);
        Run run = cli("audit", "what-if", "--settings", settings.toString());
        assertEquals(0, run.rc, run.out + run.err);
        List<String> changes = run.out.lines().filter(l -> l.startsWith("CHANGE ")).toList();
        assertEquals(1, changes.size(), run.out);
        assertTrue(changes.get(0).contains(" request=" + requests.get("small") + " job=edge-b/job-small principal=acs:ram::"
                + SMALL + ":root before=ACCEPTED after=REJECTED/OperationDenied statement=\"(not reached)\" was=\"root principal\""),
                changes.get(0));

        // a window after every decision re-evaluates none
        Run none = cli("audit", "what-if", "--settings", settings.toString(), "--from", Instant.now().plusSeconds(3600).toString());
        assertEquals(0, none.rc, none.out + none.err);
        assertTrue(none.out.contains("summary: 0 decisions re-evaluated"), none.out);
    }

    @Test
    @Order(4)
    void verifyReportsDecisionsTheCodeWouldTakeDifferently() {
        // the orchestrator decided with the default quota of 6,000 a minute; with 1 the second call of the account is throttled
        Run run = cli("audit", "verify", "-D", "quota.default.per.minute=1");
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        String ops = run.out.lines().filter(l -> l.startsWith("DIFFERENCE " + requests.get("ops") + ":DECISION "))
                .findFirst().orElseThrow(() -> new AssertionError(run.out));
        assertTrue(ops.contains("fields=outcome,code,httpStatus,message"), ops);
        assertTrue(run.out.contains("\"outcome\":\"REJECTED\",\"code\":\"Throttling.User\""), "the replayed record as JSON: " + run.out);
        assertTrue(run.out.contains("FAILED: "), run.out);
    }

    @Test
    @Order(5)
    void verifyReportsAForgedAuditRecord() throws Exception {
        AuditRecord forged = AuditRecord.newBuilder().setAuditId("FORGED-1:DECISION").setEventType(AuditEventType.DECISION)
                .setRequestId("FORGED-1").setAccountId(ACCOUNT).setOutcome(Outcome.ACCEPTED)
                .setEventTime(Instant.now().minusSeconds(5))
                .setCommand(StopCommand.newBuilder().setRequestId("FORGED-1").setAccountId(ACCOUNT)
                        .setPrincipal("acs:ram::" + ACCOUNT + ":root").setClusterId("edge-a").setJobId("job-other")
                        .setRequestTime(Instant.now()).build())
                .build();
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(stack.topics().audit(), ACCOUNT,
                    AvroSerdes.auditRecord().serialize(stack.topics().audit(), forged))).get();
        }
        Run run = cli("audit", "verify");
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        List<String> differences = run.out.lines().filter(l -> l.startsWith("DIFFERENCE ")).toList();
        assertEquals(List.of("DIFFERENCE FORGED-1:DECISION only on the audit stream (not decided by the replay)"), differences, run.out);
        assertTrue(run.out.contains(" 1 differences"), run.out);
    }

    @Test
    @Order(6)
    void badInputIsNamedNotAStackTrace() throws Exception {
        Run missing = cli("audit", "verify", "--topic-prefix", "no-such-deployment.");
        assertEquals(1, missing.rc, missing.out + missing.err);
        assertTrue(missing.err.startsWith("edge-stop audit verify: no topic no-such-deployment.audit (check --bootstrap-servers"),
                missing.err);
        Run badTime = cli("audit", "what-if", "--policies", dir.resolve("policies.yaml").toString(), "--from", "yesterday");
        assertEquals(2, badTime.rc, badTime.out + badTime.err);
        assertTrue(badTime.err.contains("--from yesterday is not an ISO-8601 time such as 2026-12-01T13:00:00Z"), badTime.err);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "policies:\n  - {accountId: \"1\", principal: root}\n");
        Run badFile = cli("audit", "what-if", "--policies", broken.toString());
        assertEquals(2, badFile.rc, badFile.out + badFile.err);
        assertTrue(badFile.err.contains("policyName and document are required"), badFile.err);
        Run nothing = cli("audit", "what-if");
        assertEquals(2, nothing.rc);
        assertTrue(nothing.err.contains("give --policies FILE and/or --settings FILE"), nothing.err);
    }

    // ---- helpers

    private record Run(int rc, String out, String err) {
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers()));
        if (!all.contains("--topic-prefix")) {
            all.addAll(List.of("--topic-prefix", stack.topics().prefix()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = EdgeStopCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(rc, out.toString(), err.toString());
    }

    private void call(String name, String accessKeyId, String secret, String cluster, String job, int status) throws Exception {
        StopJobClient.HttpResult r = new StopJobClient(stack.baseUrl(), accessKeyId, secret).stopV1(cluster, job);
        assertEquals(status, r.status(), name + ": " + r.body());
        JsonNode body = AvroJson.MAPPER.readTree(r.body());
        requests.put(name, body.path("RequestId").asText());
    }

    private List<AuditRecord> audit() {
        List<AuditRecord> out = new ArrayList<>();
        Properties client = new Properties();
        client.put("bootstrap.servers", stack.bootstrapServers());
        try (var reader = io.edgestop.devtools.audit.AuditReader.open(client, stack.topics())) {
            reader.forEach(e -> out.add(e.record()));
        }
        return out;
    }
}
