package io.edgestop.adapter;

import static io.edgestop.adapter.EndToEndStack.ACCOUNT;
import static io.edgestop.adapter.EndToEndStack.CLUSTER;
import static io.edgestop.adapter.EndToEndStack.DOMAIN;
import static io.edgestop.adapter.EndToEndStack.INTERN;
import static io.edgestop.adapter.EndToEndStack.LIMITED;
import static io.edgestop.adapter.EndToEndStack.OPS;
import static io.edgestop.adapter.EndToEndStack.SMALL_QUOTA_ACCOUNT;
import static io.edgestop.adapter.EndToEndStack.QUOTA_ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
import io.edgestop.api.query.Caller;
import io.edgestop.api.query.GetJobQuery;
import io.edgestop.api.query.JobQueryJson;
import io.edgestop.api.query.JobView;
import io.edgestop.api.query.QueryError;
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
    static final Instant NOW = Instant.now();
    /** What the small account's root lists, newest CreateTime first: list-24 .. list-00, then these. */
    static final List<String> OLDER = List.of("q-secret", "j-7f3a", "q-other", "list-revived");

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
            jobs.add(new Job(String.format("list-%02d", i), SMALL_QUOTA_ACCOUNT, i % 5 == 0 ? JobStatus.STOPPED : JobStatus.RUNNING,
                    null, null, NOW.minus(10, ChronoUnit.DAYS).plus(i, ChronoUnit.MINUTES), null));
        }
        // untouched for longer than 180 days; created long ago but started 5 days ago
        jobs.add(new Job("list-old", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING, null, null, NOW.minus(200, ChronoUnit.DAYS),
                NOW.minus(190, ChronoUnit.DAYS)));
        jobs.add(new Job("list-revived", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING, null, null, NOW.minus(300, ChronoUnit.DAYS),
                NOW.minus(5, ChronoUnit.DAYS)));
        jobs.add(new Job("j-7f3a", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING, "Evening News", null, NOW.minus(20, ChronoUnit.DAYS), null));
        // in a domain LIMITED may not read
        jobs.add(new Job("q-secret", SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING, null, "secret.example.com",
                NOW.minus(15, ChronoUnit.DAYS), null));
        stack = EndToEndStack.start(broker, stateDir, jobs, 2, "queries");
        hostPort = "127.0.0.1:" + stack.adapter(0).port();
        ops = SdkCalls.client(OPS.accessKeyId(), OPS.accessKeySecret());
        // List answers once the job index is built after the start (503 until then)
        await().atMost(Duration.ofSeconds(60)).until(() -> TestSupport.get(stack.adapter(0).baseUrl(),
                "/?" + signedV1(Map.of("Action", "ListEdgeTranscodeJob"))).status() == 200);
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
            assertEquals(List.of("q-stop", "q-running"), ops.getAcsResponse(common).getJobList().stream()
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
    /** A caller's copy of the orchestrators' job query token: each query is signed with it. */
    static final io.edgestop.ops.QueryToken CALLER = io.edgestop.ops.QueryToken.fromSettings(
            Map.of(io.edgestop.ops.QueryToken.SETTING, EndToEndStack.QUERY_TOKEN)).orElseThrow();

    /**
     * Accounts on both partitions, asked of both instances (each owns one partition): each instance answers
     * one account from its own task and forwards the other to its owner, which answers it from its task. Each
     * instance's metrics count exactly that: 2 answers served as {@code owner} (its own query, the one
     * forwarded to it) and 1 as {@code forwarded}.
     */
    @Test
    void bothInstancesAnswerAccountsOfBothPartitionsOneOfThemByForwarding() throws IOException {
        assertEquals(1 - partitionOf(ACCOUNT), partitionOf(OTHER_PARTITION_ACCOUNT), "the accounts are on both partitions");
        assertEquals(partitionOf(ACCOUNT), partitionOf(SMALL_QUOTA_ACCOUNT));
        List<Map<String, Double>> before = List.of(servedBy(0), servedBy(1));
        for (int i = 0; i < 2; i++) {
            for (String[] q : List.of(new String[] {ACCOUNT, OPS.principal(), "q-running"},
                    new String[] {OTHER_PARTITION_ACCOUNT, "acs:ram::" + OTHER_PARTITION_ACCOUNT + ":root", "q-running"})) {
                byte[] bytes = JobQueryJson.write(new GetJobQuery(new Caller(q[0], q[1], null, false, null, null, null, null),
                        CLUSTER, q[2]));
                TestSupport.Answer a = TestSupport.send(HttpRequest.newBuilder(stack.queryUrl(i).resolve("/jobs"))
                        .header("Content-Type", JobQueryJson.MEDIA_TYPE)
                        .header("Authorization", CALLER.authorization("POST", "/jobs", bytes))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
                byte[] answer = a.body().getBytes(StandardCharsets.UTF_8);
                if (q[0].equals(ACCOUNT)) {
                    assertEquals(200, a.status(), "instance " + i + ": " + a.body());
                    assertEquals(q[2], JobQueryJson.read(answer, JobView.class).jobId());
                } else {
                    // another account's job is never revealed, whoever answers
                    assertEquals(404, a.status(), "instance " + i + ": " + a.body());
                    assertEquals("JobNotFound", JobQueryJson.read(answer, QueryError.class).code(), a.body());
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

    static List<String> ids(ListEdgeTranscodeJobResponse r) {
        return r.getJobList().stream().map(ListEdgeTranscodeJobResponse.Job::getJobId).toList();
    }

    /** Alibaba's ListEdgeTranscodeJob: PageSize 10 by default, at most 100; SortBy desc (default) or asc by CreateTime. */
    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void listPagesAndSortsByCreateTime(boolean v3) throws Exception {
        DefaultAcsClient root = SdkCalls.client(QUOTA_ROOT.accessKeyId(), QUOTA_ROOT.accessKeySecret());
        try {
            ListEdgeTranscodeJobResponse first = root.getAcsResponse(at(new ListEdgeTranscodeJobRequest(), v3));
            assertEquals(LISTED + OLDER.size(), first.getTotalCount());
            assertEquals(List.of("list-24", "list-23", "list-22", "list-21", "list-20", "list-19", "list-18", "list-17",
                    "list-16", "list-15"), ids(first), "default page size 10, newest CreateTime first");

            ListEdgeTranscodeJobRequest page = at(new ListEdgeTranscodeJobRequest(), v3);
            page.setPageSize(10);
            page.setPageNo(3);
            List<String> last = new ArrayList<>(List.of("list-04", "list-03", "list-02", "list-01", "list-00"));
            last.addAll(OLDER);
            assertEquals(last, ids(root.getAcsResponse(page)));

            ListEdgeTranscodeJobRequest asc = at(new ListEdgeTranscodeJobRequest(), v3);
            asc.setSortBy("asc");
            asc.setPageSize(5);
            assertEquals(List.of("list-revived", "q-other", "j-7f3a", "q-secret", "list-00"), ids(root.getAcsResponse(asc)));

            ListEdgeTranscodeJobRequest desc = at(new ListEdgeTranscodeJobRequest(), v3);
            desc.setSortBy("desc");
            desc.setPageSize(100);
            ListEdgeTranscodeJobResponse all = root.getAcsResponse(desc);
            assertEquals(LISTED + OLDER.size(), all.getJobList().size(), "PageSize 100 is allowed");
            assertEquals("list-24", all.getJobList().get(0).getJobId());

            ListEdgeTranscodeJobRequest beyond = at(new ListEdgeTranscodeJobRequest(), v3);
            beyond.setPageNo(9);
            assertTrue(root.getAcsResponse(beyond).getJobList().isEmpty());

            for (Integer size : List.of(0, 101)) {
                ListEdgeTranscodeJobRequest bad = at(new ListEdgeTranscodeJobRequest(), v3);
                bad.setPageSize(size);
                assertEquals("InvalidParameter", errorCode(root, bad), "PageSize " + size);
            }
            ListEdgeTranscodeJobRequest noPage = at(new ListEdgeTranscodeJobRequest(), v3);
            noPage.setPageNo(0);
            assertEquals("InvalidParameter", errorCode(root, noPage));
            ListEdgeTranscodeJobRequest badSort = at(new ListEdgeTranscodeJobRequest(), v3);
            badSort.setSortBy("newest");
            assertEquals("InvalidParameter", errorCode(root, badSort));
        } finally {
            root.shutdown();
        }
    }

    /** Keyword: the job id exactly, or part of the name in any case; Status, ClusterId filter. */
    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void listFilters(boolean v3) throws Exception {
        DefaultAcsClient root = SdkCalls.client(QUOTA_ROOT.accessKeyId(), QUOTA_ROOT.accessKeySecret());
        try {
            ListEdgeTranscodeJobRequest stopped = at(new ListEdgeTranscodeJobRequest(), v3);
            stopped.setStatus(0);
            ListEdgeTranscodeJobResponse s = root.getAcsResponse(stopped);
            assertEquals(5, s.getTotalCount());
            assertTrue(s.getJobList().stream().allMatch(j -> "0".equals(j.getStatus())));

            ListEdgeTranscodeJobRequest name = at(new ListEdgeTranscodeJobRequest(), v3);
            name.setKeyword("OF LIST-1");
            name.setClusterId(CLUSTER);
            assertEquals(10, root.getAcsResponse(name).getTotalCount(), "name 'name of list-1x', any case");

            Map<String, List<String>> byKeyword = Map.of("j-7f3a", List.of("j-7f3a"), "j-7f", List.of(),
                    "evening news", List.of("j-7f3a"), "J-7F3A", List.of());
            for (Map.Entry<String, List<String>> e : byKeyword.entrySet()) {
                ListEdgeTranscodeJobRequest keyword = at(new ListEdgeTranscodeJobRequest(), v3);
                keyword.setKeyword(e.getKey());
                assertEquals(e.getValue(), ids(root.getAcsResponse(keyword)), "Keyword " + e.getKey());
            }

            ListEdgeTranscodeJobRequest elsewhere = at(new ListEdgeTranscodeJobRequest(), v3);
            elsewhere.setClusterId("edge-elsewhere");
            ListEdgeTranscodeJobResponse none = root.getAcsResponse(elsewhere);
            assertEquals(0, none.getTotalCount());
            assertTrue(none.getJobList().isEmpty());
        } finally {
            root.shutdown();
        }
    }

    /** Only jobs created or last started/stopped within 180 days are listed; Get still finds the others. */
    @Test
    void listShowsTheLast180DaysOnly() throws Exception {
        DefaultAcsClient root = SdkCalls.client(QUOTA_ROOT.accessKeyId(), QUOTA_ROOT.accessKeySecret());
        try {
            ListEdgeTranscodeJobRequest old = at(new ListEdgeTranscodeJobRequest(), false);
            old.setKeyword("list-old");
            assertEquals(0, root.getAcsResponse(old).getTotalCount(), "created 200 days ago, started 190 days ago");
            ListEdgeTranscodeJobRequest revived = at(new ListEdgeTranscodeJobRequest(), true);
            revived.setKeyword("list-revived");
            ListEdgeTranscodeJobResponse.Job j = root.getAcsResponse(revived).getJobList().get(0);
            assertEquals(NOW.minus(300, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString(), j.getCreateTime(),
                    "created 300 days ago, started 5 days ago");
            GetEdgeTranscodeJobRequest get = get("list-old", false);
            assertEquals("list-old", root.getAcsResponse(get).getJob().getJobId());
        } finally {
            root.shutdown();
        }
    }

    /**
     * Issue 21: a RAM user limited to some domains learns nothing from List about jobs in the others.
     * Their answers are exactly those of jobs that do not exist, and a caller without any List policy
     * gets an empty list, never a Forbidden that would depend on which jobs exist.
     */
    @ParameterizedTest(name = "V3={0}")
    @ValueSource(booleans = {false, true})
    void listIsNoOracleOnJobsTheCallerMayNotSee(boolean v3) throws Exception {
        DefaultAcsClient limited = SdkCalls.client(LIMITED.accessKeyId(), LIMITED.accessKeySecret());
        DefaultAcsClient intern = SdkCalls.client(INTERN.accessKeyId(), INTERN.accessKeySecret());
        try {
            ListEdgeTranscodeJobRequest all = at(new ListEdgeTranscodeJobRequest(), v3);
            all.setPageSize(100);
            List<String> visible = ids(limited.getAcsResponse(all));
            assertEquals(LISTED + OLDER.size() - 1, visible.size(), visible.toString());
            assertFalse(visible.contains("q-secret"));
            for (String[] filters : List.of(new String[] {"q-secret", null}, new String[] {"q-secret", CLUSTER},
                    new String[] {"no-such-job", null}, new String[] {"no-such-job", CLUSTER})) {
                ListEdgeTranscodeJobRequest probe = at(new ListEdgeTranscodeJobRequest(), v3);
                probe.setKeyword(filters[0]);
                probe.setClusterId(filters[1]);
                ListEdgeTranscodeJobResponse r = limited.getAcsResponse(probe);
                assertEquals(0, r.getTotalCount(), String.join(",", java.util.Arrays.asList(filters)));
                assertTrue(r.getJobList().isEmpty());
            }
            ListEdgeTranscodeJobResponse nothing = intern.getAcsResponse(at(new ListEdgeTranscodeJobRequest(), v3));
            assertEquals(0, nothing.getTotalCount(), "no List policy: an empty list");
            ListEdgeTranscodeJobResponse own = ops.getAcsResponse(at(new ListEdgeTranscodeJobRequest(), v3));
            assertTrue(own.getJobList().stream().allMatch(j -> j.getJobId().startsWith("q-") && !j.getJobId().equals("q-other")),
                    "only account " + ACCOUNT + "'s jobs");
            assertEquals(3, own.getTotalCount());
        } finally {
            limited.shutdown();
            intern.shutdown();
        }
    }

    /** Get and List show a job with the same fields and values (one view of the orchestrator's state). */
    @Test
    void getAndListAgreeOnEveryField() {
        TestSupport.Answer list = TestSupport.get(stack.adapter(0).baseUrl(), "/?" + signedV1(Map.of("Action", "ListEdgeTranscodeJob",
                "PageSize", "100")));
        assertEquals(200, list.status(), list.body());
        JsonNode jobs = list.json().path("JobList").path("Job");
        assertEquals(3, jobs.size(), list.body());
        for (JsonNode listed : jobs) {
            JsonNode got = getRaw(listed.path("JobId").asText()).path("Job");
            assertEquals(got, listed);
        }
    }

    @Test
    void xmlAnswersAreAlibabasListShape() {
        TestSupport.Answer a = TestSupport.get(stack.adapter(0).baseUrl(), "/?" + signedV1(Map.of("Action", "ListEdgeTranscodeJob",
                "Format", "XML", "PageSize", "2")));
        assertEquals(200, a.status(), a.body());
        assertEquals("text/xml;charset=utf-8", a.contentType());
        assertTrue(a.body().matches(".*<ListEdgeTranscodeJobResponse><RequestId>[0-9A-F-]{36}</RequestId><JobList>"
                + "<Job><JobId>q-idle</JobId>.*</Job><Job><JobId>q-stop</JobId>.*</Job></JobList><TotalCount>3</TotalCount>"
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
            producer.send(new ProducerRecord<>(stack.topics.jobStatusReports(cluster), cluster + "/" + jobId,
                    JobStatusReport.newBuilder().setClusterId(cluster).setJobId(jobId).setStatus(JobStatus.STOPPED)
                            .setStoppedAt(now).setDirectiveId(requestId + "#1").setRequestId(requestId)
                            .setWorkerId("test-worker").setReportedAt(now).build())).get();
        }
    }
}
