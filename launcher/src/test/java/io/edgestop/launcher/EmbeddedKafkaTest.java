package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static Set<String> topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(p);
    }
}
