package io.edgestop.adapter.http;

import java.util.ArrayList;
import java.util.List;

import io.edgestop.api.Cidr;

/**
 * Who the caller is and whether it came over HTTPS. Rule: {@code secureTransport} is true when
 * the connection to the adapter itself is TLS, or when the direct peer is a configured trusted
 * proxy and its own (the last) entry of {@code X-Forwarded-Proto} is {@code https}. The source IP is the direct peer's address,
 * or, from a trusted proxy, the right-most address of {@code X-Forwarded-For} that is not itself
 * a trusted proxy. Forwarding headers from anyone else are ignored.
 */
public final class ClientAddress {

    private final List<Cidr> trusted;

    public ClientAddress(List<String> trustedProxies) {
        List<Cidr> list = new ArrayList<>();
        for (String p : trustedProxies) {
            Cidr range = Cidr.parseOrNull(p);
            if (range == null) {
                throw new IllegalArgumentException("trusted.proxies: not an IP address or CIDR: " + p);
            }
            list.add(range);
        }
        this.trusted = List.copyOf(list);
    }

    public record Resolved(String sourceIp, boolean secureTransport) {
    }

    public Resolved resolve(String peerIp, boolean tls, String forwardedFor, String forwardedProto) {
        if (!isTrusted(peerIp)) {
            return new Resolved(peerIp, tls);
        }
        boolean secure = tls || "https".equalsIgnoreCase(lastEntry(forwardedProto));
        String source = peerIp;
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (hop.isEmpty() || Cidr.literal(hop) == null) {
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

    /**
     * The trusted proxy's own entry of a list header: the last one, which it appended (or set). The
     * entries before it came from further away, the first from the client itself, so a client cannot
     * claim HTTPS by sending {@code X-Forwarded-Proto: https} over plain HTTP to a proxy that appends.
     */
    private static String lastEntry(String header) {
        if (header == null) {
            return null;
        }
        return header.substring(header.lastIndexOf(',') + 1).trim();
    }

    boolean isTrusted(String ip) {
        for (Cidr c : trusted) {
            if (c.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
