package io.edgestop.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"orchestrator\" password=\"s3cr3t-pw\";";

    @Test
    void onlyKafkaKeysWithoutThePrefixAndTheyWinOverComponentDefaults() {
        KafkaClientSettings s = KafkaClientSettings.fromComponentSettings(Map.of(
                "bootstrap.servers", "a:1", "kafka.security.protocol", "SASL_PLAINTEXT", "kafka.acks", "1", "kafka.", "x"));
        assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "acks", "1"), s.asMap());
        Properties p = KafkaClientProperties.of("b:2", s).withDefault("acks", "all").withDefault("client.id", "c").build();
        assertEquals("1", p.get("acks"));
        assertEquals("c", p.get("client.id"));
        assertEquals("SASL_PLAINTEXT", s.clientProperties("b:2").get("security.protocol"));
        assertEquals("b:2", s.clientProperties("b:2").get("bootstrap.servers"));
    }

    @Test
    void aFileThenCommandLineKeysWhichWin(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("client.properties");
        Files.writeString(f, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n");
        KafkaClientSettings s = KafkaClientSettings.load(f).with(KafkaClientSettings.of(Map.of("sasl.mechanism", "PLAIN")));
        assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"), s.asMap());
        assertEquals(Map.of("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN"), s.asComponentSettings());
    }

    @Test
    void environmentVariablesBothWays() {
        KafkaClientSettings s = KafkaClientSettings.of(Map.of("sasl.jaas.config", JAAS, "security.protocol", "SASL_SSL"));
        Map<String, String> env = s.toEnvironment("EDGESTOP_");
        assertEquals(JAAS, env.get("EDGESTOP_KAFKA_SASL_JAAS_CONFIG"));
        assertEquals(s.asMap(), KafkaClientSettings.fromEnvironment(env, "EDGESTOP_").asMap());
        assertEquals(Map.of(), KafkaClientSettings.fromEnvironment(Map.of("EDGESTOP_KAFKA_", "x", "OTHER_KAFKA_ACKS", "1"),
                "EDGESTOP_").asMap());
    }

    @Test
    void passwordsNeverInTheTextForm() {
        KafkaClientSettings s = KafkaClientSettings.of(Map.of("sasl.jaas.config", JAAS,
                "ssl.truststore.password", "tspw-123", "ssl.key.password", "kpw-456", "sasl.mechanism", "SCRAM-SHA-256"));
        String text = s.toString();
        assertFalse(text.contains("s3cr3t-pw"), text);
        assertFalse(text.contains("tspw-123"), text);
        assertFalse(text.contains("kpw-456"), text);
        assertTrue(text.contains("sasl.jaas.config") && text.contains("SCRAM-SHA-256"), text);
    }
}
