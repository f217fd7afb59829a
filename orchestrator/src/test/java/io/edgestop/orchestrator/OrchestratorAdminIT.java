package io.edgestop.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.LoggerFactory;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/**
 * The orchestrator's admin endpoint on a real broker: ready only once RUNNING with tasks, and its
 * metrics; started without a checkpoint key, it says so once (a WARN and a gauge at 0).
 */
@RealKafka
class OrchestratorAdminIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readyzTurnsFrom503To200AsTheInstanceBecomesRunningAndMetricsAreServed(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = new Topics(prefix);
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
        }
        Map<String, String> v = new HashMap<>();
        v.put(OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        v.put(OrchestratorConfig.TOPIC_PREFIX, prefix);
        v.put(OrchestratorConfig.APPLICATION_ID, prefix + "admin-it");
        v.put(OrchestratorConfig.STATE_DIR, dir.toString());
        v.put(OrchestratorConfig.REPLICATION_FACTOR, "1");
        v.put(OrchestratorConfig.NUM_STANDBY_REPLICAS, "0");
        v.put(OrchestratorConfig.NUM_STREAM_THREADS, "1");
        v.put(OrchestratorConfig.ADMIN_HOST, "127.0.0.1");
        v.put(OrchestratorConfig.ADMIN_PORT, "0");
        Logger log = (Logger) LoggerFactory.getLogger(Orchestrator.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try (Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(v))) {
            assertTrue(orchestrator.adminPort() > 0);
            // asked at once: the group has not even been joined, so not able to decide
            KafkaStreams.State before = orchestrator.state();
            HttpResponse<String> first = get(orchestrator, "/readyz");
            assertNotEquals(KafkaStreams.State.RUNNING, before);
            assertEquals(503, first.statusCode(), "state " + before + ": " + first.body());
            assertEquals(200, get(orchestrator, "/healthz").statusCode(), "alive while not ready");

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> get(orchestrator, "/readyz").statusCode() == 200);
            assertEquals(KafkaStreams.State.RUNNING, orchestrator.state());

            String metrics = get(orchestrator, "/metrics").body();
            for (String name : new String[] {
                    "edgestop_orchestrator_decision_latency_seconds_bucket", "edgestop_orchestrator_redeliveries_total",
                    "edgestop_orchestrator_timeouts_total", "edgestop_orchestrator_dead_letters_total",
                    "edgestop_orchestrator_pending_stops", "edgestop_orchestrator_stream_thread_failures_total",
                    "kafka_consumer_fetch_manager_records_lag_max", "kafka_stream_thread_process_total"}) {
                assertTrue(metrics.contains(name), name + " missing from:\n" + metrics);
            }
            assertTrue(metrics.contains("\nedgestop_orchestrator_audit_checkpoint_signing 0.0\n"), metrics);
            assertEquals(1, logged.list.stream().filter(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().startsWith(OrchestratorConfig.AUDIT_CHECKPOINT_KEY_FILE + " is not set: the audit hash"
                    + " chains are written but no checkpoint is signed")).count(), logged.list.toString());
        } finally {
            log.detachAppender(logged);
        }
    }

    private HttpResponse<String> get(Orchestrator o, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + o.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
