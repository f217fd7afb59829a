package io.edgestop.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.http.ClientAddress;

class ConfigAndCredentialsTest {

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
    }

    @Test
    void fileCredentialStore(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("creds.json");
        Files.writeString(f, "{\"credentials\":[{\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"S1\",\"accountId\":\"100\","
                + "\"principal\":\"acs:ram::100:user/a\"},{\"accessKeyId\":\"AK2\",\"accessKeySecret\":\"S2\",\"accountId\":\"200\"}]}");
        FileCredentialStore store = FileCredentialStore.load(f);
        assertEquals("acs:ram::100:user/a", store.find("AK1").orElseThrow().principal());
        assertEquals("acs:ram::200:root", store.find("AK2").orElseThrow().principal());
        assertTrue(store.find("AK3").isEmpty());
        assertFalse(store.toString().contains("S1"));
        Files.writeString(f, "{\"credentials\":[{\"accessKeyId\":\"AK1\"}]}");
        assertThrows(IllegalArgumentException.class, () -> FileCredentialStore.load(f));
        Files.writeString(f, "{\"credentials\":[{\"accessKeyId\":\"A\",\"accessKeySecret\":\"s\",\"accountId\":\"1\"},"
                + "{\"accessKeyId\":\"A\",\"accessKeySecret\":\"t\",\"accountId\":\"1\"}]}");
        assertThrows(IllegalArgumentException.class, () -> FileCredentialStore.load(f));
        Files.writeString(f, "{\"credentials\":[]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FileCredentialStore.load(f)).getMessage()
                .contains("holds no credentials"));
    }

    @Test
    void secureTransportAndSourceIpRule() {
        ClientAddress none = new ClientAddress(List.of());
        assertEquals(new ClientAddress.Resolved("10.0.0.9", false), none.resolve("10.0.0.9", false, "1.2.3.4", "https"));
        assertEquals(new ClientAddress.Resolved("10.0.0.9", true), none.resolve("10.0.0.9", true, null, null));
        ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.1"));
        assertEquals(new ClientAddress.Resolved("1.2.3.4", true),
                proxies.resolve("10.0.0.9", false, "6.6.6.6, 1.2.3.4, 10.1.1.1", "https"));
        assertEquals(new ClientAddress.Resolved("192.168.1.1", false), proxies.resolve("192.168.1.1", false, null, "http"));
        assertEquals(new ClientAddress.Resolved("192.168.1.2", false), proxies.resolve("192.168.1.2", false, "1.1.1.1", "https"));
        assertEquals(new ClientAddress.Resolved("10.0.0.9", true), proxies.resolve("10.0.0.9", false, "not-an-ip", "HTTPS"));
        // X-Forwarded-Proto: the trusted proxy's own entry, the last; what the client sent before it does not count
        assertEquals(new ClientAddress.Resolved("1.2.3.4", false), proxies.resolve("10.0.0.9", false, "1.2.3.4", "https, http"));
        assertEquals(new ClientAddress.Resolved("1.2.3.4", true), proxies.resolve("10.0.0.9", false, "1.2.3.4", "http,https"));
        assertEquals(new ClientAddress.Resolved("1.2.3.4", false), proxies.resolve("10.0.0.9", false, "1.2.3.4", "https,"));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("example.com")));
    }
}
