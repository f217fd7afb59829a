package io.edgestop.adapter.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba signature V3 ({@code ACS3-HMAC-SHA256}):
 * <pre>
 * CanonicalRequest = METHOD \n "/" \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
 *   CanonicalQuery   = pe(k)=pe(v) sorted by key, joined by &amp; (empty value gives "k=")
 *   CanonicalHeaders = "name:trimmed-value\n" for every signed header, lower-case names, sorted
 * StringToSign     = "ACS3-HMAC-SHA256\n" + HexSHA256(CanonicalRequest)
 * Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
 * Authorization    = ACS3-HMAC-SHA256 Credential=&lt;AccessKeyId&gt;,SignedHeaders=&lt;h1;h2&gt;,Signature=&lt;hex&gt;
 * </pre>
 */
public final class SignatureV3 {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";
    public static final String EMPTY_BODY_SHA256 = sha256Hex(new byte[0]);

    private SignatureV3() {
    }

    /** The parsed Authorization header. Fields may come in any order. */
    public record Authorization(String credential, List<String> signedHeaders, String signature) {
    }

    /** Parses {@code ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..}; null when not that scheme. */
    public static Authorization parseAuthorization(String header) throws IllegalArgumentException {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith(ALGORITHM + " ")) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : h.substring(ALGORITHM.length() + 1).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed Authorization field: " + p);
            }
            String name = p.substring(0, eq).trim();
            if (fields.put(name, p.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("duplicated Authorization field: " + name);
            }
        }
        String credential = fields.get("Credential");
        String signed = fields.get("SignedHeaders");
        String signature = fields.get("Signature");
        if (credential == null || credential.isEmpty()) {
            throw new IllegalArgumentException("Authorization lacks Credential");
        }
        if (signed == null || signed.isEmpty()) {
            throw new IllegalArgumentException("Authorization lacks SignedHeaders");
        }
        if (signature == null || signature.isEmpty()) {
            throw new IllegalArgumentException("Authorization lacks Signature");
        }
        List<String> names = new ArrayList<>();
        for (String n : signed.split(";")) {
            if (n.isBlank()) {
                throw new IllegalArgumentException("empty name in SignedHeaders");
            }
            names.add(n.trim().toLowerCase(Locale.ROOT));
        }
        return new Authorization(credential, List.copyOf(names), signature);
    }

    public static String canonicalQuery(Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>(SignatureV1::compareBytes);
        sorted.putAll(params);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(AcsEncoding.percentEncode(e.getKey())).append('=');
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                sb.append(AcsEncoding.percentEncode(e.getValue()));
            }
        }
        return sb.toString();
    }

    /**
     * @param headers signed header values by lower-case name (each one of {@code signedHeaders})
     */
    public static String canonicalRequest(String method, Map<String, String> queryParams, Map<String, String> headers,
                                          List<String> signedHeaders, String bodySha256Hex) {
        TreeMap<String, String> sortedHeaders = new TreeMap<>();
        for (String name : signedHeaders) {
            String lower = name.toLowerCase(Locale.ROOT);
            String v = headers.get(lower);
            sortedHeaders.put(lower, v == null ? "" : v.trim());
        }
        StringBuilder ch = new StringBuilder();
        sortedHeaders.forEach((k, v) -> ch.append(k).append(':').append(v).append('\n'));
        String signedHeaderList = String.join(";", sortedHeaders.keySet());
        return method.toUpperCase(Locale.ROOT) + "\n/\n" + canonicalQuery(queryParams) + "\n" + ch + "\n"
                + signedHeaderList + "\n" + bodySha256Hex;
    }

    /** The signed-headers list as it must appear in the Authorization header: lower case, sorted, ';'-joined. */
    public static String signedHeaderList(List<String> names) {
        return String.join(";", new java.util.TreeSet<>(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()));
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String accessKeySecret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(accessKeySecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Constant-time comparison of two signatures (as their UTF-8 bytes). */
    public static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
