package io.edgestop.orchestrator.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.api.Api;
import io.edgestop.api.query.Caller;
import io.edgestop.api.query.JobPage;
import io.edgestop.api.query.JobQueryJson;
import io.edgestop.api.query.ListJobsQuery;
import io.edgestop.api.query.QueryError;
import io.edgestop.ops.QueryToken;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/**
 * ListEdgeTranscodeJob after a restart on the same state directory: Kafka Streams restores the
 * job-states global store from its checkpoint, so only the job-state written since passes the
 * updater again; the account's older jobs are still listed (JobOwnersLoader). Without the loader
 * the second instance lists only the job written while it was down (tried: the second wait times out).
 */
@RealKafka
class JobQueriesRestartIT {

    static final String ACCOUNT = "1000000000000042";
    static final String TOKEN = "restart-it-query-token-3c9f";
    static final String ROOT = "acs:ram::" + ACCOUNT + ":root";
    /** An adapter's copy of the shared token, which signs each query (the token itself is never sent). */
    static final QueryToken CALLER = QueryToken.fromSettings(Map.of(QueryToken.SETTING, TOKEN)).orElseThrow();
    static final byte[] LIST = JobQueryJson.write(new ListJobsQuery(new Caller(ACCOUNT, ROOT, null, false, null, null, null, null),
            null, null, null, null, ListJobsQuery.Order.NEWEST_FIRST, 1, Api.DEFAULT_PAGE_SIZE));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theJobsKeptInTheCheckpointedStoreAreStillListed(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = new Topics(prefix);
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, java.util.List.of("c1"), 2, (short) 1);
        }
        Map<String, String> v = new HashMap<>();
        v.put(OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        v.put(OrchestratorConfig.TOPIC_PREFIX, prefix);
        v.put(OrchestratorConfig.APPLICATION_ID, prefix + "restart-it");
        v.put(OrchestratorConfig.STATE_DIR, dir.toString());
        v.put(OrchestratorConfig.REPLICATION_FACTOR, "1");
        v.put(OrchestratorConfig.NUM_STANDBY_REPLICAS, "0");
        v.put(OrchestratorConfig.NUM_STREAM_THREADS, "1");
        v.put(OrchestratorConfig.QUERY_PORT, "0");
        v.put(OrchestratorConfig.QUERY_TOKEN, TOKEN);
        v.put(OrchestratorConfig.ADMIN_HOST, "127.0.0.1");
        v.put(OrchestratorConfig.ADMIN_PORT, "0");
        OrchestratorConfig config = OrchestratorConfig.fromMap(v);

        seed(broker, topics, "before-1", "before-2");
        try (Orchestrator first = Orchestrator.start(config)) {
            assertTrue(first.awaitRunning(Duration.ofSeconds(60)));
            awaitListed(first, 2);
        }
        seed(broker, topics, "after-1");
        try (Orchestrator second = Orchestrator.start(config)) {
            assertTrue(second.awaitRunning(Duration.ofSeconds(60)));
            JobPage list = awaitListed(second, 3);
            // no createTime: placed by their job-state records' time, the newest first
            assertEquals("after-1", list.jobs().get(0).jobId());
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.adminPort() + "/metrics"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("edgestop_orchestrator_job_queries_total{action=\"ListEdgeTranscodeJob\",code=\"Success\","
                    + "served_by=\"owner\"}"), metrics);

            // without a credential of the shared token, with the token itself, another token's, a replayed one or
            // one made for another body, a claimed principal reads nothing
            QueryToken other = QueryToken.fromSettings(Map.of(QueryToken.SETTING, TOKEN + "x")).orElseThrow();
            String once = CALLER.authorization("POST", "/jobs", LIST);
            assertEquals(200, http.send(list(second, once), HttpResponse.BodyHandlers.ofString()).statusCode());
            byte[] otherBody = JobQueryJson.write(new ListJobsQuery(new Caller("9", ROOT, null, false, null, null, null, null),
                    null, null, null, null, ListJobsQuery.Order.NEWEST_FIRST, 1, Api.DEFAULT_PAGE_SIZE));
            for (String authorization : new String[] {null, "Bearer " + TOKEN, "Basic " + TOKEN,
                    other.authorization("POST", "/jobs", LIST), once, CALLER.authorization("POST", "/jobs", otherBody)}) {
                HttpResponse<String> r = http.send(list(second, authorization), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, r.statusCode(), String.valueOf(authorization));
                assertEquals("", r.body());
                assertEquals("EdgeStop-HMAC-SHA256", r.headers().firstValue("WWW-Authenticate").orElse(null));
            }
            // a query in another media type (an adapter of another release) is refused, never misread, and retryable
            HttpResponse<byte[]> otherVersion = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.queryPort() + "/jobs"))
                    .header("Content-Type", "application/json").header("Authorization", CALLER.authorization("POST", "/jobs", LIST))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(LIST)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(503, otherVersion.statusCode());
            assertEquals("ServiceUnavailable", JobQueryJson.read(otherVersion.body(), QueryError.class).code());
            String after = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.adminPort() + "/metrics"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(after.contains("code=\"Unauthorized\""), after);
            assertFalse(after.contains(TOKEN), "the token is not in the metrics");
        }
    }

    private static HttpRequest list(Orchestrator o, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + o.queryPort() + "/jobs"))
                .header("Content-Type", JobQueryJson.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(LIST));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private JobPage awaitListed(Orchestrator o, int count) {
        JobPage[] last = new JobPage[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<byte[]> r = http.send(list(o, CALLER.authorization("POST", "/jobs", LIST)), HttpResponse.BodyHandlers.ofByteArray());
            last[0] = r.statusCode() == 200 ? JobQueryJson.read(r.body(), JobPage.class) : null;
            return last[0] != null && last[0].totalCount() == count;
        });
        return last[0];
    }

    private static void seed(KafkaBroker broker, Topics topics, String... jobs) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, JobState> producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.jobState().serializer())) {
            for (String job : jobs) {
                producer.send(new ProducerRecord<>(topics.jobState(), "c1/" + job, JobState.newBuilder().setClusterId("c1")
                        .setJobId(job).setAccountId(ACCOUNT).setDomainName("d.example.com").setStatus(JobStatus.RUNNING)
                        .setRevision(1).setLastStartAt(Instant.now()).build())).get();
            }
        }
    }
}
