package io.edgestop.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @Test
    void startsFreshByDefaultAndKeepsTheDataWithResume(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0, false)) {
            assertFalse(kafka.resumed());
            try (Admin admin = admin(kafka)) {
                admin.createTopics(Set.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0, true)) {
            assertTrue(kafka.resumed());
            assertTrue(topics(kafka).contains("kept"), "--resume keeps the topics of the previous run");
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0, false)) {
            assertFalse(kafka.resumed());
            assertFalse(topics(kafka).contains("kept"), "without --resume a run starts fresh");
        }
    }

    @Test
    void aBusyPortFallsBackToAFreeOne(@TempDir Path dataDir) throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0);
                EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, busy.getLocalPort(), false)) {
            assertFalse(kafka.bootstrapServers().endsWith(":" + busy.getLocalPort()));
            assertEquals(0, topics(kafka).size());
        }
    }

    /** edge-stop broker's case (docker-compose.local.yml): each client listener advertises its own address. */
    @Test
    void everyClientListenerAdvertisesItsOwnAddressAndDataOutlivesARestart(@TempDir Path dataDir) throws Exception {
        int inside = EmbeddedKafka.freePort();
        int host = EmbeddedKafka.freePort();
        int controller = EmbeddedKafka.freePort();
        EmbeddedKafka.Listeners listeners = new EmbeddedKafka.Listeners(
                "PLAINTEXT://:" + inside + ",CONTROLLER://:" + controller + ",HOST://:" + host,
                "PLAINTEXT://localhost:" + inside + ",HOST://127.0.0.1:" + host);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, listeners)) {
            assertFalse(kafka.resumed());
            assertEquals("localhost:" + inside, kafka.bootstrapServers());
            try (Admin admin = admin("127.0.0.1:" + host)) {
                var node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next();
                assertEquals("127.0.0.1:" + host, node.host() + ":" + node.port(), "the HOST listener's advertised address");
                admin.createTopics(Set.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, listeners)) {
            assertTrue(kafka.resumed(), "a container restart keeps the broker's data");
            assertTrue(topics(kafka).contains("kept"));
        }
    }

    @Test
    void listenersWithoutTheRequiredOnesAreRefusedClearly() {
        var missingController = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedKafka.Listeners("PLAINTEXT://:9092", "PLAINTEXT://kafka:9092"));
        assertEquals("listeners must name a CONTROLLER listener: PLAINTEXT://:9092", missingController.getMessage());
        var unknownAdvertised = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedKafka.Listeners("PLAINTEXT://:9092,CONTROLLER://:9093", "PLAINTEXT://kafka:9092,HOST://localhost:29092"));
        assertTrue(unknownAdvertised.getMessage().startsWith("advertised listeners must be listeners other than CONTROLLER"));
        var malformed = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedKafka.Listeners("PLAINTEXT://:9092,CONTROLLER:9093", "PLAINTEXT://kafka:9092"));
        assertEquals("listeners: not NAME://host:port: CONTROLLER:9093", malformed.getMessage());
    }

    private static Set<String> topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return admin(kafka.bootstrapServers());
    }

    private static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }
}
