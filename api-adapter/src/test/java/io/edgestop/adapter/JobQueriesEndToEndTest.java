package io.edgestop.adapter;

import static io.edgestop.adapter.EndToEndStack.ACCOUNT;
import static io.edgestop.adapter.EndToEndStack.CLUSTER;
import static io.edgestop.adapter.EndToEndStack.DOMAIN;
import static io.edgestop.adapter.EndToEndStack.INTERN;
import static io.edgestop.adapter.EndToEndStack.OPS;
import static io.edgestop.adapter.EndToEndStack.SMALL_QUOTA_ACCOUNT;
import static io.edgestop.adapter.EndToEndStack.QUOTA_ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.SignatureVersion;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.live.model.v20161101.GetEdgeTranscodeJobRequest;
import com.aliyuncs.live.model.v20161101.GetEdgeTranscodeJobResponse;
import com.aliyuncs.live.model.v20161101.ListEdgeTranscodeJobRequest;
import com.aliyuncs.live.model.v20161101.ListEdgeTranscodeJobResponse;
import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.adapter.EndToEndStack.Job;
import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.auth.SignatureV1;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * GetEdgeTranscodeJob and ListEdgeTranscodeJob end to end: Alibaba's official Java SDK (V1 and V3)
 * -> adapter -> the job query endpoint of one of TWO orchestrator instances on a real broker, which
 * answers from its own state or forwards to the instance owning the account.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobQueriesEndToEndTest {

    static final int LISTED = 25;

    EndToEndStack stack;
    String hostPort;
    DefaultAcsClient ops;
    KafkaBroker broker;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path stateDir) throws Exception {
        this.broker = broker;
        List<Job> jobs = new ArrayList<>(List.of(Job.running("q-running"), Job.running("q-stop"),
                new Job("q-idle", ACCOUNT, JobStatus.NOT_STARTED), new Job("q-other", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING)));
        for (int i = 0; i < LISTED; i++) {
            jobs.add(new Job(String.format("list-%02d", i), SMALL_QUOTA_ACCOUNT, i % 5 == 0 ? JobStatus.STOPPED : JobStatus.RUNNING));
        }
        stack = EndToEndStack.start(broker, stateDir, jobs, 2, "queries");
        hostPort = "127.0.0.1:" + stack.adapter(0).port();
        ops = SdkCalls.client(OPS.accessKeyId(), OPS.accessKeySecret());
    }

    @AfterAll
    void tearDown() {
        if (ops != null) {
            ops.shutdown();
        }
        if (stack != null) {
            stack.close();
        }
    }

    <T extends AcsRequest<?>> T at(T request, boolean v3) {
        request.setSysEndpoint(hostPort);
        request.setSysProtocol(ProtocolType.HTTP);
        if (v3) {
            request.setSysSignatureVersion(SignatureVersion.V3);
        }
        return request;
    }

    GetEdgeTranscodeJobRequest get(String jobId, boolean v3) {
        GetEdgeTranscodeJobRequest r = at(new GetEdgeTranscodeJobRequest(), v3);
        r.setClusterId(CLUSTER);
        r.setJobId(jobId);
        return r;
    }

    static String errorCode(DefaultAcsClient sdk, AcsRequest<?> request) {
        try {
            sdk.getAcsResponse(request);
            return "OK";
        } catch (ClientException e) {
            return e.getErrCode();
        }
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void getAnswersTheJobInAlibabasShape(boolean v3) throws Exception {
        GetEdgeTranscodeJobResponse r = ops.getAcsResponse(get("q-running", v3));
        assertTrue(r.getRequestId().matches("[0-9A-F-]{36}"), r.getRequestId());
        assertEquals("q-running", r.getJob().getJobId());
        assertEquals("name of q-running", r.getJob().getName());
        assertEquals("1", r.getJob().getStatus());
        assertEquals("tpl-1", r.getJob().getTemplateId());
        assertTrue(r.getJob().getLastStartAt().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), r.getJob().getLastStartAt());
        // job-state's Alibaba fields (JobState v2), times in yyyy-MM-ddTHH:mm:ssZ
        assertEquals("2026-11-02T08:30:00Z", r.getJob().getCreateTime());
        assertEquals("template tpl-1", r.getJob().getTemplateName());
        assertEquals("rtmp://" + DOMAIN + "/app/q-running", r.getJob().getStreamInput());
        assertEquals("rtmp://" + DOMAIN + "/app/q-running_out", r.getJob().getStreamOutput());
        assertEquals("common", r.getJob().getType());
        assertEquals(null, r.getJob().getLastStopAt(), "never stopped");
        GetEdgeTranscodeJobResponse idle = ops.getAcsResponse(get("q-idle", v3));
        assertEquals("0", idle.getJob().getStatus());
        assertEquals(null, idle.getJob().getCreateTime(), "a job-state without the field: left out, read as null");
        assertEquals(null, idle.getJob().getType());
    }

    @Test
    void listAndXmlCarryJobStatesAlibabaFields() {
        ListEdgeTranscodeJobRequest keyword = at(new ListEdgeTranscodeJobRequest(), false);
        keyword.setKeyword("q-running");
        ListEdgeTranscodeJobResponse.Job j;
        try {
            j = ops.getAcsResponse(keyword).getJobList().get(0);
        } catch (ClientException e) {
            throw new AssertionError(e);
        }
        assertEquals("q-running", j.getJobId());
        assertEquals("2026-11-02T08:30:00Z", j.getCreateTime());
        assertEquals("template tpl-1", j.getTemplateName());
        assertEquals("rtmp://" + DOMAIN + "/app/q-running", j.getStreamInput());
        assertEquals("rtmp://" + DOMAIN + "/app/q-running_out", j.getStreamOutput());
        assertEquals("common", j.getType());

        ListEdgeTranscodeJobRequest common = at(new ListEdgeTranscodeJobRequest(), true);
        common.setType("common");
        ListEdgeTranscodeJobRequest other = at(new ListEdgeTranscodeJobRequest(), false);
        other.setType("h265");
        try {
            assertEquals(List.of("q-running", "q-stop"), ops.getAcsResponse(common).getJobList().stream()
                    .map(ListEdgeTranscodeJobResponse.Job::getJobId).toList(), "Type filters; q-idle has none");
            assertEquals(0, ops.getAcsResponse(other).getTotalCount());
        } catch (ClientException e) {
            throw new AssertionError(e);
        }

        TestSupport.Answer a = TestSupport.get(stack.adapter(0).baseUrl(), "/?" + signedV1(Map.of("Action", "GetEdgeTranscodeJob",
                "Format", "XML", "ClusterId", CLUSTER, "JobId", "q-running")));
        assertEquals(200, a.status(), a.body());
        for (String field : List.of("<CreateTime>2026-11-02T08:30:00Z</CreateTime>", "<TemplateName>template tpl-1</TemplateName>",
                "<StreamInput>rtmp://" + DOMAIN + "/app/q-running</StreamInput>", "<Type>common</Type>")) {
            assertTrue(a.body().contains(field), field + " in " + a.body());
        }
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void getErrorsSurfaceAsTheirCodes(boolean v3) {
        DefaultAcsClient intern = SdkCalls.client(INTERN.accessKeyId(), INTERN.accessKeySecret());
        try {
            assertEquals("JobNotFound", errorCode(ops, get("no-such-job", v3)));
            assertEquals("JobNotFound", errorCode(ops, get("q-other", v3)), "another account's job is never revealed");
            assertEquals("Forbidden", errorCode(intern, get("q-running", v3)));
            assertEquals("MissingParameter", errorCode(ops, get(null, v3)));
        } finally {
            intern.shutdown();
        }
    }

    /** An account whose key hashes to the other of the two partitions than {@link EndToEndStack#ACCOUNT}'s. */
    static final String OTHER_PARTITION_ACCOUNT = "1234567890123456";

    /**
     * Accounts on both partitions, asked of both instances (each owns one partition): each instance answers
     * one account from its own task and forwards the other to its owner, which answers it from its task. Each
     * instance's metrics count exactly that: 2 answers served as {@code owner} (its own query, the one
     * forwarded to it) and 1 as {@code forwarded}.
     */
    @Test
    void bothInstancesAnswerAccountsOfBothPartitionsOneOfThemByForwarding() {
        assertEquals(1 - partitionOf(ACCOUNT), partitionOf(OTHER_PARTITION_ACCOUNT), "the accounts are on both partitions");
        assertEquals(partitionOf(ACCOUNT), partitionOf(SMALL_QUOTA_ACCOUNT));
        List<Map<String, Double>> before = List.of(servedBy(0), servedBy(1));
        for (int i = 0; i < 2; i++) {
            for (String[] q : List.of(new String[] {ACCOUNT, OPS.principal(), "q-running"},
                    new String[] {OTHER_PARTITION_ACCOUNT, "acs:ram::" + OTHER_PARTITION_ACCOUNT + ":root", "q-running"})) {
                String body = "{\"action\":\"GetEdgeTranscodeJob\",\"accountId\":\"" + q[0] + "\",\"principal\":\"" + q[1]
                        + "\",\"clusterId\":\"" + CLUSTER + "\",\"jobId\":\"" + q[2] + "\"}";
                TestSupport.Answer a = TestSupport.send(HttpRequest.newBuilder(stack.queryUrl(i).resolve("/jobs"))
                        .header("Authorization", "Bearer " + EndToEndStack.QUERY_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                if (q[0].equals(ACCOUNT)) {
                    assertEquals(200, a.status(), "instance " + i + ": " + a.body());
                    assertEquals(q[2], a.json().path("Job").path("JobId").asText());
                } else {
                    // another account's job is never revealed, whoever answers
                    assertEquals(404, a.status(), "instance " + i + ": " + a.body());
                    assertEquals("JobNotFound", a.json().path("Code").asText(), a.body());
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            Map<String, Double> after = servedBy(i);
            Map<String, Double> delta = new TreeMap<>();
            for (String how : List.of("owner", "forwarded", "standby", "none")) {
                delta.put(how, after.getOrDefault(how, 0.0) - before.get(i).getOrDefault(how, 0.0));
            }
            assertEquals(Map.of("forwarded", 1.0, "none", 0.0, "owner", 2.0, "standby", 0.0), delta, "instance " + i);
        }
    }

    static int partitionOf(String account) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(account.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 2;
    }

    /** GetEdgeTranscodeJob answers of orchestrator {@code i} so far, by how they were served. */
    Map<String, Double> servedBy(int i) {
        Map<String, Double> out = new TreeMap<>();
        String metrics = TestSupport.send(HttpRequest.newBuilder(stack.metricsUrl(i)).GET().build()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("edgestop_orchestrator_job_queries_total\\{action="
                + "\"GetEdgeTranscodeJob\",code=\"[^\"]*\",served_by=\"([a-z]+)\"\\} ([0-9.E+]+)").matcher(metrics);
        while (m.find()) {
            out.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return out;
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void listPagesAndFilters(boolean v3) throws Exception {
        DefaultAcsClient root = SdkCalls.client(QUOTA_ROOT.accessKeyId(), QUOTA_ROOT.accessKeySecret());
        try {
            ListEdgeTranscodeJobRequest all = at(new ListEdgeTranscodeJobRequest(), v3);
            ListEdgeTranscodeJobResponse first = root.getAcsResponse(all);
            assertEquals(LISTED + 1, first.getTotalCount());
            assertEquals(20, first.getJobList().size(), "default page size");
            assertEquals("list-00", first.getJobList().get(0).getJobId(), "sorted by cluster and job id");

            ListEdgeTranscodeJobRequest page = at(new ListEdgeTranscodeJobRequest(), v3);
            page.setPageSize(10);
            page.setPageNo(3);
            List<String> ids = root.getAcsResponse(page).getJobList().stream().map(ListEdgeTranscodeJobResponse.Job::getJobId).toList();
            assertEquals(List.of("list-20", "list-21", "list-22", "list-23", "list-24", "q-other"), ids);

            ListEdgeTranscodeJobRequest stopped = at(new ListEdgeTranscodeJobRequest(), v3);
            stopped.setStatus(0);
            ListEdgeTranscodeJobResponse s = root.getAcsResponse(stopped);
            assertEquals(5, s.getTotalCount());
            assertTrue(s.getJobList().stream().allMatch(j -> "0".equals(j.getStatus())));

            ListEdgeTranscodeJobRequest keyword = at(new ListEdgeTranscodeJobRequest(), v3);
            keyword.setKeyword("OF LIST-1");
            keyword.setClusterId(CLUSTER);
            assertEquals(10, root.getAcsResponse(keyword).getTotalCount(), "name 'name of list-1x', any case");

            ListEdgeTranscodeJobRequest elsewhere = at(new ListEdgeTranscodeJobRequest(), v3);
            elsewhere.setClusterId("edge-elsewhere");
            ListEdgeTranscodeJobResponse none = root.getAcsResponse(elsewhere);
            assertEquals(0, none.getTotalCount());
            assertTrue(none.getJobList().isEmpty());

            ListEdgeTranscodeJobRequest beyond = at(new ListEdgeTranscodeJobRequest(), v3);
            beyond.setPageNo(9);
            assertTrue(root.getAcsResponse(beyond).getJobList().isEmpty());

            ListEdgeTranscodeJobRequest tooBig = at(new ListEdgeTranscodeJobRequest(), v3);
            tooBig.setPageSize(101);
            assertEquals("InvalidParameter", errorCode(root, tooBig));
        } finally {
            root.shutdown();
        }
    }

    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void listIsForbiddenWithoutAPolicyAndShowsOnlyTheCallersAccount(boolean v3) throws Exception {
        DefaultAcsClient intern = SdkCalls.client(INTERN.accessKeyId(), INTERN.accessKeySecret());
        try {
            assertEquals("Forbidden", errorCode(intern, at(new ListEdgeTranscodeJobRequest(), v3)));
            ListEdgeTranscodeJobResponse own = ops.getAcsResponse(at(new ListEdgeTranscodeJobRequest(), v3));
            assertTrue(own.getJobList().stream().allMatch(j -> j.getJobId().startsWith("q-") && !j.getJobId().equals("q-other")),
                    "only account " + ACCOUNT + "'s jobs");
            assertEquals(3, own.getTotalCount());
        } finally {
            intern.shutdown();
        }
    }

    @Test
    void xmlAnswersAreAlibabasListShape() {
        TestSupport.Answer a = TestSupport.get(stack.adapter(0).baseUrl(), "/?" + signedV1(Map.of("Action", "ListEdgeTranscodeJob",
                "Format", "XML", "PageSize", "2")));
        assertEquals(200, a.status(), a.body());
        assertEquals("text/xml;charset=utf-8", a.contentType());
        assertTrue(a.body().matches(".*<ListEdgeTranscodeJobResponse><RequestId>[0-9A-F-]{36}</RequestId><JobList>"
                + "<Job><JobId>q-idle</JobId>.*</Job><Job><JobId>q-running</JobId>.*</Job></JobList><TotalCount>3</TotalCount>"
                + "</ListEdgeTranscodeJobResponse>"), a.body());
    }

    /** A stop seen through: pending with its attempt, then stopped by that request, visible as soon as COMPLETED is. */
    @Test
    void aGetRightAfterTheCompletedResultShowsTheJobStopped() throws Exception {
        String requestId;
        try (KafkaConsumer<String, StopResult> results = resultsFromNow()) {
            requestId = SdkCalls.stop(ops, hostPort, false, CLUSTER, "q-stop").getRequestId();
            JsonNode pending = getRaw("q-stop").path("Job");
            assertEquals("1", pending.path("Status").asText(), pending.toString());
            assertEquals(requestId, pending.path("StopRequestId").asText(), pending.toString());
            assertEquals(1, pending.path("StopAttempt").asInt());
            assertEquals(requestId + "#1", pending.path("LastDirectiveId").asText());
            assertFalse(pending.path("StopPendingSince").asText().isEmpty());

            report(CLUSTER, "q-stop", requestId);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var r : results.poll(Duration.ofMillis(100))) {
                    if (requestId.equals(r.key()) && r.value().getOutcome() == Outcome.COMPLETED) {
                        return true;
                    }
                }
                return false;
            });
        }
        JsonNode done = getRaw("q-stop").path("Job");
        assertEquals("0", done.path("Status").asText(), done.toString());
        assertEquals("STOPPED", done.path("JobStatus").asText());
        assertEquals(requestId, done.path("StoppedByRequestId").asText());
        assertNull(done.get("StopRequestId"), "no stop in flight any more");
        assertFalse(done.path("LastStopAt").asText().isEmpty());
        assertEquals("0", ops.getAcsResponse(get("q-stop", true)).getJob().getStatus());
    }

    /** Runs last: it stops the second instance. */
    @Test
    @Order(Integer.MAX_VALUE)
    void whileTheAccountsMoveAnswersAreTheJobOrServiceUnavailableThenTheSurvivorAnswersEveryAccount() {
        DefaultAcsClient root = SdkCalls.client(QUOTA_ROOT.accessKeyId(), QUOTA_ROOT.accessKeySecret());
        try {
            stack.orchestrator(1).close();
            Set<String> codes = new HashSet<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
                String a = errorCode(ops, get("q-running", false));
                String b = errorCode(root, get("q-other", false));
                codes.add(a);
                codes.add(b);
                assertTrue(Set.of("OK", "ServiceUnavailable").containsAll(codes), codes.toString());
                return a.equals("OK") && b.equals("OK");
            });
        } finally {
            root.shutdown();
        }
    }

    private JsonNode getRaw(String jobId) {
        TestSupport.Answer a = TestSupport.get(stack.adapter(0).baseUrl(), "/?" + signedV1(Map.of("Action", "GetEdgeTranscodeJob",
                "ClusterId", CLUSTER, "JobId", jobId)));
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    private static String signedV1(Map<String, String> extra) {
        Map<String, String> p = new TreeMap<>(Map.of("Version", "2016-11-01", "AccessKeyId", OPS.accessKeyId(),
                "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0", "SignatureNonce", UUID.randomUUID().toString(),
                "Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        p.putAll(extra);
        p.put("Signature", SignatureV1.sign(OPS.accessKeySecret(), SignatureV1.stringToSign("GET", p)));
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(AcsEncoding.percentEncode(k)).append('=')
                .append(AcsEncoding.percentEncode(v)));
        return sb.toString();
    }

    private KafkaConsumer<String, StopResult> resultsFromNow() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, StopResult> c = new KafkaConsumer<>(p, new StringDeserializer(), AvroSerdes.stopResult().deserializer());
        List<TopicPartition> parts = c.partitionsFor(stack.topics.stopResults()).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    /** What the job's edge worker reports after acting on the stop's first directive. */
    private void report(String cluster, String jobId, String requestId) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, JobStatusReport> producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.jobStatusReport().serializer())) {
            Instant now = Instant.now();
            producer.send(new ProducerRecord<>(stack.topics.jobStatusReports(), cluster + "/" + jobId,
                    JobStatusReport.newBuilder().setClusterId(cluster).setJobId(jobId).setStatus(JobStatus.STOPPED)
                            .setStoppedAt(now).setDirectiveId(requestId + "#1").setRequestId(requestId)
                            .setWorkerId("test-worker").setReportedAt(now).build())).get();
        }
    }
}
