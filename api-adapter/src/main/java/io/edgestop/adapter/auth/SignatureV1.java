package io.edgestop.adapter.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba RPC signature V1 (HMAC-SHA1, {@code SignatureVersion=1.0}):
 * <pre>
 * canonical    = join("&amp;", pe(k) + "=" + pe(v) for every parameter but Signature, sorted by key)
 * stringToSign = METHOD + "&amp;" + pe("/") + "&amp;" + pe(canonical)
 * Signature    = Base64(HMAC-SHA1(AccessKeySecret + "&amp;", stringToSign))
 * </pre>
 */
public final class SignatureV1 {

    public static final String SIGNATURE_METHOD = "HMAC-SHA1";
    public static final String SIGNATURE_VERSION = "1.0";

    private SignatureV1() {
    }

    /** Canonical query string of decoded parameters (Signature excluded), sorted by key in byte order. */
    public static String canonicalQuery(Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>(SignatureV1::compareBytes);
        params.forEach((k, v) -> {
            if (!"Signature".equals(k)) {
                sorted.put(k, v);
            }
        });
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(AcsEncoding.percentEncode(e.getKey())).append('=')
                    .append(AcsEncoding.percentEncode(e.getValue() == null ? "" : e.getValue()));
        }
        return sb.toString();
    }

    public static String stringToSign(String method, Map<String, String> params) {
        return method.toUpperCase(java.util.Locale.ROOT) + "&" + AcsEncoding.percentEncode("/") + "&"
                + AcsEncoding.percentEncode(canonicalQuery(params));
    }

    public static String sign(String accessKeySecret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((accessKeySecret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** Key order of the canonical string: UTF-8 byte order (equals UTF-16 order for ASCII keys). */
    static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
