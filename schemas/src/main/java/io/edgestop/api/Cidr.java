package io.edgestop.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range (CIDR, or one address), parsed from literals only (never a DNS
 * lookup). One rule for both places that need it: the adapter's trusted proxies and the RAM
 * policy operators {@code IpAddress} / {@code NotIpAddress}.
 */
public final class Cidr {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");

    private final byte[] network;
    private final int bits;

    private Cidr(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** {@code a.b.c.d/n}, an IPv6 range, or one address (/32 or /128); null when it is not one. */
    public static Cidr parseOrNull(String cidr) {
        if (cidr == null) {
            return null;
        }
        String range = cidr.trim();
        int prefix = -1;
        int slash = range.indexOf('/');
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(range.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                return null;
            }
            range = range.substring(0, slash).trim();
        }
        byte[] net = literal(range);
        if (net == null) {
            return null;
        }
        int max = net.length * 8;
        if (prefix > max || (slash >= 0 && prefix < 0)) {
            return null;
        }
        return new Cidr(net, prefix < 0 ? max : prefix);
    }

    /** True when {@code address} (a literal) lies in the range. */
    public boolean contains(String address) {
        byte[] ip = address == null ? null : literal(address.trim());
        return ip != null && contains(ip);
    }

    private boolean contains(byte[] ip) {
        if (ip.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != ip[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (network[full] & mask) == (ip[full] & mask);
    }

    /** True when {@code address} lies in {@code cidr}; false when either is invalid. */
    public static boolean contains(String cidr, String address) {
        Cidr range = parseOrNull(cidr);
        return range != null && range.contains(address);
    }

    /**
     * Address bytes of an IPv4 or IPv6 literal (brackets allowed), or null when it is not one.
     * IPv4-mapped IPv6 addresses give 4 bytes.
     */
    public static byte[] literal(String literal) {
        if (literal == null || literal.isEmpty()) {
            return null;
        }
        String s = literal;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (IPV4.matcher(s).matches()) {
            String[] parts = s.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
            try {
                return InetAddress.getByName(s).getAddress(); // a literal: no lookup
            } catch (UnknownHostException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
