package io.edgestop.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgestop.adapter.tls.TlsSettings;

class AdapterConfigTest {

    @Test
    void configDefaultsAndKafkaPassThrough() {
        AdapterConfig c = AdapterConfig.fromMap(Map.of("bootstrap.servers", "k:9092", "kafka.security.protocol", "SSL",
                "kafka.ssl.truststore.password", "pw"));
        assertEquals("edgestop.", c.topicPrefix());
        assertEquals("127.0.0.1", c.httpHost(), "outside dev only this machine, unless configured");
        assertNull(c.tls(), "plain HTTP unless a certificate is configured");
        assertEquals(0, c.httpPort());
        assertTrue(c.instanceId().startsWith("adapter-"));
        assertEquals(Duration.ofSeconds(10), c.replyTimeout());
        assertEquals(65_536, c.maxBodyBytes());
        assertEquals(Duration.ofMinutes(15), c.timestampWindow());
        assertNull(c.credentialsFile());
        assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.password", "pw"), c.kafka().asMap());
        assertFalse(c.toString().contains("pw"), "values of kafka.* keys may be secrets");
        assertTrue(!AdapterConfig.fromMap(Map.of("bootstrap.servers", "k")).instanceId()
                .equals(AdapterConfig.fromMap(Map.of("bootstrap.servers", "k")).instanceId()));
    }

    @Test
    void configRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AdapterConfig.fromMap(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AdapterConfig.fromMap(Map.of("bootstrap.servers", "k", "http.port", "x")));
        assertThrows(IllegalArgumentException.class, () -> AdapterConfig.fromMap(Map.of("bootstrap.servers", "k", "http.port", "70000")));
        assertThrows(IllegalArgumentException.class, () -> AdapterConfig.fromMap(Map.of("bootstrap.servers", "k", "reply.timeout.ms", "0")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterConfig.fromMap(Map.of("bootstrap.servers", "k", "max.body.bytes", "lots")));
        assertEquals("Invalid value lots for configuration max.body.bytes: Not a number of type INT", e.getMessage());
    }

    @Test
    void aBlankNumberTakesItsDefault() {
        AdapterConfig c = AdapterConfig.fromMap(Map.of("bootstrap.servers", "k", "reply.timeout.ms", " ", "shutdown.timeout.ms", ""));
        assertEquals(Duration.ofSeconds(10), c.replyTimeout());
        assertEquals(Duration.ofSeconds(12), c.shutdownTimeout(), "reply.timeout.ms + 2 s");
    }

    @Test
    void everyKeyTheTlsSettingsReadIsDeclared() {
        assertTrue(AdapterConfig.definition().names().containsAll(TlsSettings.KEYS), AdapterConfig.definition().names().toString());
    }
}
