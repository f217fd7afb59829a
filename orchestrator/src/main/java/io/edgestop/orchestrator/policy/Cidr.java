package io.edgestop.orchestrator.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 address / CIDR matching for the {@code IpAddress} and {@code NotIpAddress}
 * condition operators. Only literals are parsed (never a DNS lookup).
 */
public final class Cidr {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Cidr() {
    }

    /** True when {@code address} lies in {@code cidr} (an address alone means /32 or /128). False when either is invalid. */
    public static boolean contains(String cidr, String address) {
        if (cidr == null || address == null) {
            return false;
        }
        String range = cidr.trim();
        int prefix = -1;
        int slash = range.indexOf('/');
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(range.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                return false;
            }
            range = range.substring(0, slash).trim();
        }
        byte[] net = parse(range);
        byte[] ip = parse(address.trim());
        if (net == null || ip == null || net.length != ip.length) {
            return false;
        }
        int bits = net.length * 8;
        if (prefix < 0) {
            prefix = bits;
        }
        if (prefix > bits) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != ip[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (net[full] & mask) == (ip[full] & mask);
    }

    /** Address bytes of an IPv4 or IPv6 literal, or null. IPv4-mapped IPv6 addresses give 4 bytes. */
    static byte[] parse(String literal) {
        if (literal.isEmpty()) {
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
