package io.edgestop.adapter.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the caller is and whether it came over HTTPS. Rule: {@code secureTransport} is true when
 * the connection to the adapter itself is TLS, or when the direct peer is a configured trusted
 * proxy and sent {@code X-Forwarded-Proto: https}. The source IP is the direct peer's address,
 * or, from a trusted proxy, the right-most address of {@code X-Forwarded-For} that is not itself
 * a trusted proxy. Forwarding headers from anyone else are ignored.
 */
public final class ClientAddress {

    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> trusted;

    public ClientAddress(List<String> trustedProxies) {
        List<Cidr> list = new ArrayList<>();
        for (String p : trustedProxies) {
            String host = p;
            int bits = -1;
            int slash = p.indexOf('/');
            if (slash >= 0) {
                host = p.substring(0, slash);
                bits = Integer.parseInt(p.substring(slash + 1));
            }
            byte[] addr = literal(host);
            if (addr == null) {
                throw new IllegalArgumentException("trusted.proxies: not an IP address or CIDR: " + p);
            }
            list.add(new Cidr(addr, bits < 0 ? addr.length * 8 : bits));
        }
        this.trusted = List.copyOf(list);
    }

    public record Resolved(String sourceIp, boolean secureTransport) {
    }

    public Resolved resolve(String peerIp, boolean tls, String forwardedFor, String forwardedProto) {
        if (!isTrusted(peerIp)) {
            return new Resolved(peerIp, tls);
        }
        boolean secure = tls || (forwardedProto != null && forwardedProto.split(",")[0].trim().equalsIgnoreCase("https"));
        String source = peerIp;
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (hop.isEmpty() || literal(hop) == null) {
                    break;
                }
                source = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return new Resolved(source, secure);
    }

    boolean isTrusted(String ip) {
        byte[] addr = literal(ip);
        if (addr == null) {
            return false;
        }
        for (Cidr c : trusted) {
            if (c.contains(addr)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IP literal without any DNS lookup; null when it is not one. */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String h = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
