package io.edgestop.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

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
