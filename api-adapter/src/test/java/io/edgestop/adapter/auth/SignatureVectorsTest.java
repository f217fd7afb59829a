package io.edgestop.adapter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.aliyuncs.auth.RpcSignatureComposer;
import com.aliyuncs.auth.V3SignatureComposer;
import com.aliyuncs.auth.signers.HmacSHA1Signer;
import com.aliyuncs.auth.signers.HmacSHA256Signer;
import com.aliyuncs.http.MethodType;

/**
 * Signature vectors: hand-computed by the reference's rules, Alibaba's published V1 example, and
 * cross-checked with the string-to-sign and signers of Alibaba's own Java SDK (sdk-core 4.7.3).
 */
class SignatureVectorsTest {

    /** Values with space, *, ~, /, +, = and non-ASCII characters. */
    static final String TRICKY_CLUSTER = "a b*c~d/e+f=g";
    static final String TRICKY_JOB = "作业-ü&x";

    @Test
    void percentEncodeFollowsTheReference() {
        assertEquals("a%20b%2Ac~d%2Fe%2Bf%3Dg", AcsEncoding.percentEncode(TRICKY_CLUSTER));
        assertEquals("%E4%BD%9C%E4%B8%9A-%C3%BC%26x", AcsEncoding.percentEncode(TRICKY_JOB));
        assertEquals("AZaz09-_.~", AcsEncoding.percentEncode("AZaz09-_.~"));
    }

    @Test
    void v1PublishedExample() {
        Map<String, String> p = new HashMap<>();
        p.put("AccessKeyId", "testid");
        p.put("Action", "DescribeRegions");
        p.put("Format", "XML");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        p.put("SignatureVersion", "1.0");
        p.put("Timestamp", "2016-02-23T12:46:24Z");
        p.put("Version", "2014-05-26");
        String sts = SignatureV1.stringToSign("GET", p);
        assertEquals("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
                + "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
                + "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26", sts);
        assertEquals("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", SignatureV1.sign("testsecret", sts));
    }

    static Map<String, String> v1Params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", "StopEdgeTranscodeJob");
        p.put("Version", "2016-11-01");
        p.put("Format", "JSON");
        p.put("AccessKeyId", "AKID");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", "n-1");
        p.put("Timestamp", "2026-01-02T03:04:05Z");
        p.put("ClusterId", TRICKY_CLUSTER);
        p.put("JobId", TRICKY_JOB);
        return p;
    }

    @Test
    void v1StringToSignWithTrickyValuesByHand() {
        String canonical = "AccessKeyId=AKID&Action=StopEdgeTranscodeJob&ClusterId=a%20b%2Ac~d%2Fe%2Bf%3Dg&Format=JSON"
                + "&JobId=%E4%BD%9C%E4%B8%9A-%C3%BC%26x&SignatureMethod=HMAC-SHA1&SignatureNonce=n-1"
                + "&SignatureVersion=1.0&Timestamp=2026-01-02T03%3A04%3A05Z&Version=2016-11-01";
        assertEquals(canonical, SignatureV1.canonicalQuery(v1Params()));
        String expected = "POST&%2F&" + canonical.replace("%", "%25").replace("=", "%3D").replace("&", "%26");
        assertEquals(expected, SignatureV1.stringToSign("POST", v1Params()));
        // the signature with the JDK's HMAC directly, key = secret + "&"
        assertEquals(hmacBase64("HmacSHA1", "s3cr3t/+=&", expected), SignatureV1.sign("s3cr3t/+=", expected));
    }

    @Test
    void v1MatchesTheOfficialSdk() throws Exception {
        Map<String, String> p = new HashMap<>(v1Params());
        String sdkSts = RpcSignatureComposer.getComposer().composeStringToSign(MethodType.GET, null, new HmacSHA1Signer(), p, null, null);
        assertEquals(sdkSts, SignatureV1.stringToSign("GET", p));
        assertEquals(new HmacSHA1Signer().signString(sdkSts, "sec ret~*&"), SignatureV1.sign("sec ret~*", sdkSts));
    }

    static Map<String, String> v3Headers() {
        Map<String, String> h = new TreeMap<>();
        h.put("x-acs-action", "StopEdgeTranscodeJob");
        h.put("x-acs-version", "2016-11-01");
        h.put("x-acs-date", "2026-01-02T03:04:05Z");
        h.put("x-acs-signature-nonce", "nonce-3");
        h.put("x-acs-content-sha256", SignatureV3.EMPTY_BODY_SHA256);
        h.put("content-type", "application/x-www-form-urlencoded");
        return h;
    }

    @Test
    void v3CanonicalRequestByHand() {
        Map<String, String> q = new TreeMap<>(Map.of("ClusterId", TRICKY_CLUSTER, "JobId", TRICKY_JOB, "Empty", ""));
        String canonical = SignatureV3.canonicalRequest("POST", q, v3Headers(), List.copyOf(v3Headers().keySet()),
                SignatureV3.EMPTY_BODY_SHA256);
        String expected = "POST\n/\n"
                + "ClusterId=a%20b%2Ac~d%2Fe%2Bf%3Dg&Empty=&JobId=%E4%BD%9C%E4%B8%9A-%C3%BC%26x\n"
                + "content-type:application/x-www-form-urlencoded\n"
                + "x-acs-action:StopEdgeTranscodeJob\n"
                + "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-acs-date:2026-01-02T03:04:05Z\n"
                + "x-acs-signature-nonce:nonce-3\n"
                + "x-acs-version:2016-11-01\n"
                + "\n"
                + "content-type;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertEquals(expected, canonical);
        String sts = SignatureV3.stringToSign(canonical);
        assertEquals("ACS3-HMAC-SHA256\n" + sha256Hex(expected), sts);
        assertEquals(HexFormat.of().formatHex(hmac("HmacSHA256", "k€y", sts)), SignatureV3.sign("k€y", sts));
    }

    @Test
    void v3MatchesTheOfficialSdk() throws Exception {
        Map<String, String> q = new HashMap<>(Map.of("ClusterId", TRICKY_CLUSTER, "JobId", TRICKY_JOB));
        Map<String, String> headers = new HashMap<>(v3Headers());
        HmacSHA256Signer signer = new HmacSHA256Signer();
        String sdkCanonical = V3SignatureComposer.getComposer().composeStringToSign(MethodType.POST, null, signer, q,
                headers, null) + "\n" + SignatureV3.EMPTY_BODY_SHA256;
        String ours = SignatureV3.canonicalRequest("POST", q, v3Headers(), List.copyOf(v3Headers().keySet()),
                SignatureV3.EMPTY_BODY_SHA256);
        assertEquals(sdkCanonical, ours);
        String sts = SignatureV3.stringToSign(ours);
        assertEquals(signer.signString(sts, "secret~ *"), SignatureV3.sign("secret~ *", sts));
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(String alg, String key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(alg);
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), alg));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacBase64(String alg, String key, String data) {
        return java.util.Base64.getEncoder().encodeToString(hmac(alg, key, data));
    }
}
