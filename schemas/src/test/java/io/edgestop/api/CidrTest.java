package io.edgestop.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void rangesOfBothFamilies() {
        assertTrue(Cidr.contains("10.0.0.0/8", "10.200.3.4"));
        assertFalse(Cidr.contains("10.0.0.0/8", "11.0.0.1"));
        assertTrue(Cidr.contains("192.168.1.7", "192.168.1.7"), "one address is /32");
        assertTrue(Cidr.contains("192.168.1.0/25", "192.168.1.127"));
        assertFalse(Cidr.contains("192.168.1.0/25", "192.168.1.128"));
        assertTrue(Cidr.contains("2001:db8::/32", "2001:db8:ffff::1"));
        assertFalse(Cidr.contains("2001:db8::/32", "2001:db9::1"));
        assertTrue(Cidr.contains("0.0.0.0/0", "8.8.8.8"));
        assertFalse(Cidr.contains("10.0.0.0/8", "::1"), "families never match");
        assertTrue(Cidr.contains("[::1]", "::1"));
    }

    @Test
    void anythingElseIsNotARangeAndNeverLooksANameUp() {
        assertNull(Cidr.parseOrNull("10.0.0.0/33"));
        assertNull(Cidr.parseOrNull("10.0.0.0/"));
        assertNull(Cidr.parseOrNull("10.0.0.0/x"));
        assertNull(Cidr.parseOrNull("localhost"));
        assertNull(Cidr.literal("999.1.1.1"), "not an address, and no DNS lookup of it");
        assertNull(Cidr.literal("example.com"));
        assertNull(Cidr.literal(""));
        assertFalse(Cidr.contains("10.0.0.0/8", "not-an-ip"));
        assertFalse(Cidr.contains(null, "10.0.0.1"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Cidr.literal("::ffff:1.2.3.4"), "IPv4-mapped gives 4 bytes");
    }
}
