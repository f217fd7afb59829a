package io.edgestop.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final KafkaClientSettings SETTINGS = KafkaClientSettings.fromComponentSettings(Map.of(
            "kafka.bootstrap.servers", "elsewhere:9092", "kafka.acks", "1", "kafka.client.id", "theirs",
            "kafka.group.id", "g", "kafka.sasl.jaas.config", "x password=\"s3cr3t\";"));

    @Test
    void defaultsThenClientSettingsThenWhatTheComponentKeeps() {
        Properties p = KafkaClientProperties.of("here:9092", SETTINGS)
                .withDefault("acks", "all")
                .withDefault("linger.ms", "0")
                .keep("client.id", "ours")
                .drop("group.id")
                .build();
        assertEquals("elsewhere:9092", p.get("bootstrap.servers"), "the bootstrap servers are a default");
        assertEquals("1", p.get("acks"));
        assertEquals("0", p.get("linger.ms"));
        assertEquals("ours", p.get("client.id"));
        assertFalse(p.containsKey("group.id"));
        assertEquals("x password=\"s3cr3t\";", p.get("sasl.jaas.config"));
    }

    @Test
    void keptBootstrapServersWinOverTheClientSettings() {
        assertEquals("here:9092", KafkaClientProperties.of("here:9092", SETTINGS).keepBootstrapServers().build()
                .get("bootstrap.servers"));
        assertThrows(IllegalStateException.class, () -> KafkaClientProperties.of(new Properties()).keepBootstrapServers());
    }

    @Test
    void aCommandsClientPropertiesSitInTheMiddle() {
        Properties client = SETTINGS.clientProperties("here:9092");
        assertEquals("here:9092", KafkaClientSettings.none().clientProperties("here:9092").get("bootstrap.servers"));
        Properties p = KafkaClientProperties.of(client).withDefault("acks", "all").withDefault("fetch.max.wait.ms", "10")
                .keep("client.id", "ours").build();
        assertEquals("1", p.get("acks"));
        assertEquals("10", p.get("fetch.max.wait.ms"));
        assertEquals("ours", p.get("client.id"));
        assertEquals("elsewhere:9092", p.get("bootstrap.servers"));
    }

    @Test
    void secretsStayOutOfToString() {
        String s = KafkaClientProperties.of("here:9092", SETTINGS).keep("ssl.key.password", "pw2").toString();
        assertFalse(s.contains("s3cr3t") || s.contains("pw2"), s);
        assertTrue(s.contains("sasl.jaas.config=[hidden]") && s.contains("acks=1"), s);
    }
}
