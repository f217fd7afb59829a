package io.edgestop.adapter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.edgestop.adapter.http.RequestParser;
import io.edgestop.adapter.request.ApiException;

/** Verification of both schemes end to end from the wire form, and rejection of every tampered field. */
class AuthenticatorTest {

    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    static final String SECRET = "s3cr3t/+= ~*";
    final InMemoryCredentialStore store = new InMemoryCredentialStore(List.of(
            new Credential("AKID", SECRET, "1234567890", "acs:ram::1234567890:user/ops"),
            new Credential("OTHER", "other-secret", "999", null)));
    final Authenticator auth = new Authenticator(store, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC), true);

    // ---------------------------------------------------------------- V1

    static Map<String, String> v1(String timestamp) {
        Map<String, String> p = new TreeMap<>(SignatureVectorsTest.v1Params());
        p.put("Timestamp", timestamp);
        return p;
    }

    /** Encodes like the Java SDK's request line: '*' left as is, '~' as %7E, space as %20. */
    static String sdkStyleQuery(Map<String, String> p) {
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(sdkEncode(k)).append('=').append(sdkEncode(v));
        });
        return sb.toString();
    }

    static String sdkEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("~", "%7E");
    }

    static String signedV1Query(String method, Map<String, String> p, String secret) {
        Map<String, String> all = new TreeMap<>(p);
        all.put("Signature", SignatureV1.sign(secret, SignatureV1.stringToSign(method, p)));
        return sdkStyleQuery(all);
    }

    Authenticator.Verified verifyQuery(String method, String query) throws ApiException {
        return auth.verify(method, RequestParser.parse(query, null, new byte[0]), h -> null, SignatureV3.EMPTY_BODY_SHA256);
    }

    @Test
    void v1ValidRequestFromTheWire() throws Exception {
        String q = signedV1Query("GET", v1("2026-01-02T03:00:00Z"), SECRET);
        assertTrue(q.contains("a%20b*c%7Ed%2Fe%2Bf%3Dg"), q); // the SDK's own encoding of the tricky value
        Authenticator.Verified v = verifyQuery("GET", q);
        assertEquals("AKID", v.credential().accessKeyId());
        assertEquals("n-1", v.nonce());
        assertEquals(Authenticator.Scheme.V1, v.scheme());
        assertEquals(Instant.parse("2026-01-02T03:00:00Z"), v.requestTime());
    }

    @Test
    void v1PostFormBodyAndQuerySplit() throws Exception {
        Map<String, String> p = v1("2026-01-02T03:00:00Z");
        Map<String, String> all = new TreeMap<>(p);
        all.put("Signature", SignatureV1.sign(SECRET, SignatureV1.stringToSign("POST", p)));
        Map<String, String> query = new TreeMap<>();
        Map<String, String> body = new TreeMap<>();
        all.forEach((k, v) -> (k.startsWith("S") || k.equals("JobId") ? body : query).put(k, v));
        String form = sdkStyleQuery(body).replace("%20", "+"); // form encoding: space as '+'
        var params = RequestParser.parse(sdkStyleQuery(query), "application/x-www-form-urlencoded; charset=UTF-8",
                form.getBytes(StandardCharsets.UTF_8));
        assertEquals("AKID", auth.verify("POST", params, h -> null, "x").credential().accessKeyId());
    }

    @Test
    void v1EveryTamperedParameterIsRejected() throws Exception {
        Map<String, String> p = v1("2026-01-02T03:00:00Z");
        String signature = SignatureV1.sign(SECRET, SignatureV1.stringToSign("GET", p));
        for (String key : p.keySet()) {
            Map<String, String> t = new TreeMap<>(p);
            t.put(key, p.get(key) + "x");
            t.put("Signature", signature);
            ApiException e = assertThrows(ApiException.class, () -> verifyQuery("GET", sdkStyleQuery(t)), key);
            String expected = switch (key) {
                case "AccessKeyId" -> "InvalidAccessKeyId.NotFound";
                case "SignatureMethod", "SignatureVersion" -> "IncompleteSignature";
                default -> "SignatureDoesNotMatch";
            };
            assertEquals(expected, e.code(), key);
        }
        // a parameter added, one removed, the signature changed, the method changed, another key's secret
        List<Map<String, String>> variants = new ArrayList<>();
        Map<String, String> added = new TreeMap<>(p);
        added.put("RegionId", "cn-shanghai");
        variants.add(added);
        Map<String, String> removed = new TreeMap<>(p);
        removed.remove("JobId");
        variants.add(removed);
        for (Map<String, String> v : variants) {
            Map<String, String> t = new TreeMap<>(v);
            t.put("Signature", signature);
            assertEquals("SignatureDoesNotMatch", assertThrows(ApiException.class,
                    () -> verifyQuery("GET", sdkStyleQuery(t))).code());
        }
        Map<String, String> badSig = new TreeMap<>(p);
        badSig.put("Signature", signature.substring(1) + "A");
        assertEquals("SignatureDoesNotMatch", assertThrows(ApiException.class,
                () -> verifyQuery("GET", sdkStyleQuery(badSig))).code());
        assertEquals("SignatureDoesNotMatch", assertThrows(ApiException.class,
                () -> verifyQuery("POST", signedV1Query("GET", p, SECRET))).code());
        Map<String, String> otherKey = new TreeMap<>(p);
        otherKey.put("AccessKeyId", "OTHER");
        assertEquals("SignatureDoesNotMatch", assertThrows(ApiException.class,
                () -> verifyQuery("GET", signedV1Query("GET", otherKey, SECRET))).code());
    }

    @Test
    void v1MismatchMessageCarriesTheExactStringToSign() {
        Map<String, String> p = v1("2026-01-02T03:00:00Z");
        ApiException e = assertThrows(ApiException.class, () -> verifyQuery("GET", signedV1Query("GET", p, "wrong")));
        assertEquals("SignatureDoesNotMatch", e.code());
        assertEquals(400, e.status());
        assertEquals("Specified signature is not matched with our calculation. server string to sign is:"
                + SignatureV1.stringToSign("GET", p), e.getMessage());
        assertTrue(!e.getMessage().contains(SECRET));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-02T02:49:04Z", "2026-01-02T03:19:06Z", "2020-01-01T00:00:00Z"})
    void v1TimestampOutsideTheWindow(String ts) {
        ApiException e = assertThrows(ApiException.class, () -> verifyQuery("GET", signedV1Query("GET", v1(ts), SECRET)));
        assertEquals("InvalidTimeStamp.Expired", e.code());
    }

    @Test
    void v1TimestampEdgesAndFormat() throws Exception {
        verifyQuery("GET", signedV1Query("GET", v1("2026-01-02T02:49:05Z"), SECRET));
        verifyQuery("GET", signedV1Query("GET", v1("2026-01-02T03:19:05Z"), SECRET));
        assertEquals("InvalidTimeStamp.Format", assertThrows(ApiException.class,
                () -> verifyQuery("GET", signedV1Query("GET", v1("yesterday"), SECRET))).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"})
    void v1IncompleteSignature(String missing) {
        Map<String, String> p = v1("2026-01-02T03:00:00Z");
        p.remove(missing);
        ApiException e = assertThrows(ApiException.class, () -> verifyQuery("GET", signedV1Query("GET", p, SECRET)));
        assertEquals("IncompleteSignature", e.code());
    }

    @Test
    void unsignedAndUnknownKey() {
        assertEquals("IncompleteSignature", assertThrows(ApiException.class,
                () -> verifyQuery("GET", sdkStyleQuery(v1("2026-01-02T03:00:00Z")))).code());
        Map<String, String> p = v1("2026-01-02T03:00:00Z");
        p.put("AccessKeyId", "NOPE");
        ApiException e = assertThrows(ApiException.class, () -> verifyQuery("GET", signedV1Query("GET", p, SECRET)));
        assertEquals("InvalidAccessKeyId.NotFound", e.code());
        assertEquals(404, e.status());
    }

    // ---------------------------------------------------------------- V3

    record V3Request(String method, String query, Map<String, String> headers, byte[] body) {
    }

    static V3Request v3(String date, String secret, String keyId, String fieldOrder) {
        return v3(date, secret, keyId, fieldOrder, true);
    }

    static V3Request v3(String date, String secret, String keyId, String fieldOrder, boolean signHost) {
        Map<String, String> q = new TreeMap<>(Map.of("ClusterId", SignatureVectorsTest.TRICKY_CLUSTER,
                "JobId", SignatureVectorsTest.TRICKY_JOB));
        byte[] body = "Extra=%E2%82%AC+1".getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>();
        if (signHost) {
            h.put("host", "live.aliyuncs.com");
        }
        h.put("x-acs-action", "StopEdgeTranscodeJob");
        h.put("x-acs-version", "2016-11-01");
        h.put("x-acs-date", date);
        h.put("x-acs-signature-nonce", "nonce-3");
        h.put("x-acs-content-sha256", SignatureV3.sha256Hex(body));
        h.put("content-type", "application/x-www-form-urlencoded");
        List<String> signed = List.copyOf(h.keySet());
        String sig = SignatureV3.sign(secret, SignatureV3.stringToSign(
                SignatureV3.canonicalRequest("POST", q, h, signed, SignatureV3.sha256Hex(body))));
        String cred = "Credential=" + keyId;
        String sh = "SignedHeaders=" + SignatureV3.signedHeaderList(signed);
        String sg = "Signature=" + sig;
        String authz = "ACS3-HMAC-SHA256 " + switch (fieldOrder) {
            case "sdk" -> cred + "," + sg + "," + sh;
            default -> cred + "," + sh + "," + sg;
        };
        Map<String, String> headers = new HashMap<>(h);
        headers.put("authorization", authz);
        return new V3Request("POST", sdkStyleQuery(q), headers, body);
    }

    Authenticator.Verified verifyV3(V3Request r) throws ApiException {
        var params = RequestParser.parse(r.query(), r.headers().get("content-type"), r.body());
        return auth.verify(r.method(), params, r.headers()::get, SignatureV3.sha256Hex(r.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "spec"})
    void v3ValidInAnyFieldOrder(String order) throws Exception {
        Authenticator.Verified v = verifyV3(v3("2026-01-02T03:00:00Z", SECRET, "AKID", order));
        assertEquals(Authenticator.Scheme.V3, v.scheme());
        assertEquals("nonce-3", v.nonce());
        assertEquals("1234567890", v.credential().accountId());
    }

    @Test
    void v3EveryTamperedFieldIsRejected() {
        V3Request ok = v3("2026-01-02T03:00:00Z", SECRET, "AKID", "sdk");
        for (String h : List.of("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                "x-acs-content-sha256", "content-type")) {
            Map<String, String> headers = new HashMap<>(ok.headers());
            headers.put(h, headers.get(h) + "0");
            V3Request t = new V3Request(ok.method(), ok.query(), headers, ok.body());
            ApiException e = assertThrows(ApiException.class, () -> verifyV3(t), h);
            // a changed date must not parse as a valid other date: both give a rejection
            assertTrue(List.of("SignatureDoesNotMatch", "UnsupportedMediaType").contains(e.code()), h + " " + e.code());
        }
        List<V3Request> tampered = List.of(
                new V3Request("GET", ok.query(), ok.headers(), ok.body()),
                new V3Request(ok.method(), ok.query().replace("JobId=", "JobId=x"), ok.headers(), ok.body()),
                new V3Request(ok.method(), ok.query() + "&RegionId=cn", ok.headers(), ok.body()),
                new V3Request(ok.method(), ok.query(), ok.headers(), "Extra=%E2%82%AC+2".getBytes(StandardCharsets.UTF_8)),
                new V3Request(ok.method(), ok.query(), with(ok.headers(), "authorization",
                        ok.headers().get("authorization").replace("Signature=", "Signature=0")), ok.body()),
                v3("2026-01-02T03:00:00Z", "not-the-secret", "AKID", "sdk"));
        for (V3Request t : tampered) {
            assertEquals("SignatureDoesNotMatch", assertThrows(ApiException.class, () -> verifyV3(t)).code());
        }
    }

    @Test
    void v3MismatchMessageCarriesTheCanonicalRequest() {
        V3Request bad = v3("2026-01-02T03:00:00Z", "wrong", "AKID", "sdk");
        ApiException e = assertThrows(ApiException.class, () -> verifyV3(bad));
        assertTrue(e.getMessage().startsWith("Specified signature is not matched with our calculation. server string to sign is:POST\n/\nClusterId=a%20b%2Ac~d"),
                e.getMessage());
    }

    @Test
    void v3IncompleteOrUnknown() {
        V3Request ok = v3("2026-01-02T03:00:00Z", SECRET, "AKID", "sdk");
        String authz = ok.headers().get("authorization");
        List<String> broken = List.of(
                "ACS3-HMAC-SHA256 Credential=AKID",
                "ACS3-HMAC-SHA256 garbage",
                "HMAC-SHA1 Credential=AKID,SignedHeaders=x,Signature=y",
                authz.replace("x-acs-date;", ""),
                authz.replace("Credential=AKID,", ""));
        for (String b : broken) {
            ApiException e = assertThrows(ApiException.class, () -> verifyV3(
                    new V3Request(ok.method(), ok.query(), with(ok.headers(), "authorization", b), ok.body())), b);
            assertEquals("IncompleteSignature", e.code(), b);
        }
        Map<String, String> noNonce = new HashMap<>(ok.headers());
        noNonce.remove("x-acs-signature-nonce");
        assertEquals("IncompleteSignature", assertThrows(ApiException.class,
                () -> verifyV3(new V3Request(ok.method(), ok.query(), noNonce, ok.body()))).code());
        assertEquals("InvalidAccessKeyId.NotFound", assertThrows(ApiException.class,
                () -> verifyV3(v3("2026-01-02T03:00:00Z", SECRET, "NOPE", "sdk"))).code());
        assertEquals("InvalidTimeStamp.Expired", assertThrows(ApiException.class,
                () -> verifyV3(v3("2026-01-02T02:40:00Z", SECRET, "AKID", "sdk"))).code());
        assertEquals("InvalidTimeStamp.Expired", assertThrows(ApiException.class,
                () -> verifyV3(v3("2026-01-02T03:30:00Z", SECRET, "AKID", "sdk"))).code());
    }

    @Test
    void v3HostMustBeSignedWhenRequired() throws Exception {
        V3Request ok = v3("2026-01-02T03:00:00Z", SECRET, "AKID", "spec");
        String unsignedHost = ok.headers().get("authorization").replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;");
        assertTrue(!unsignedHost.contains("host"), unsignedHost);
        V3Request withoutHost = new V3Request(ok.method(), ok.query(), with(ok.headers(), "authorization", unsignedHost), ok.body());
        ApiException e = assertThrows(ApiException.class, () -> verifyV3(withoutHost));
        assertEquals("IncompleteSignature", e.code());
        assertTrue(e.getMessage().contains("\"host\" must be listed in SignedHeaders"), e.getMessage());
        // by default (aliyun-java-sdk-core's V3 does not sign host) the host need not be signed, but signed it counts
        Authenticator lenient = new Authenticator(store, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC), false);
        assertEquals("SignatureDoesNotMatch", assertThrows(ApiException.class, () -> lenient.verify(withoutHost.method(),
                RequestParser.parse(withoutHost.query(), "application/x-www-form-urlencoded", withoutHost.body()),
                withoutHost.headers()::get, SignatureV3.sha256Hex(withoutHost.body()))).code(), "the signature covered host");
        V3Request signedWithoutHost = v3WithoutHost();
        assertEquals("AKID", lenient.verify(signedWithoutHost.method(), RequestParser.parse(signedWithoutHost.query(),
                "application/x-www-form-urlencoded", signedWithoutHost.body()), signedWithoutHost.headers()::get,
                SignatureV3.sha256Hex(signedWithoutHost.body())).credential().accessKeyId());
    }

    static V3Request v3WithoutHost() {
        V3Request r = v3("2026-01-02T03:00:00Z", SECRET, "AKID", "spec", false);
        assertTrue(!r.headers().get("authorization").contains("host"));
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "n\u00e9", "n/1", "n%1", "65-characters-of-nonce-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void aNonceOutsideTheClientsFormIsRefusedInBothSchemes(String nonce) {
        assertEquals(65, "65-characters-of-nonce-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".length());
        Map<String, String> p = v1("2026-01-02T03:00:00Z");
        p.put("SignatureNonce", nonce);
        ApiException v1 = assertThrows(ApiException.class, () -> verifyQuery("GET", signedV1Query("GET", p, SECRET)));
        assertEquals(nonce.isEmpty() ? "IncompleteSignature" : "InvalidParameter", v1.code(), v1.getMessage());
        if (!nonce.isBlank() && nonce.chars().allMatch(c -> c < 0x80)) {
            V3Request ok = v3("2026-01-02T03:00:00Z", SECRET, "AKID", "sdk");
            ApiException v3 = assertThrows(ApiException.class, () -> verifyV3(
                    new V3Request(ok.method(), ok.query(), with(ok.headers(), "x-acs-signature-nonce", nonce), ok.body())));
            assertEquals("InvalidParameter", v3.code(), v3.getMessage());
        }
    }

    @Test
    void theNoncesAlibabasClientsSendAreAccepted() throws Exception {
        for (String nonce : List.of(java.util.UUID.randomUUID().toString(), "3f9c2b7a1e4d4c0f8a6b5d2e1c0f9a8b", "n.1_~")) {
            Map<String, String> p = v1("2026-01-02T03:00:00Z");
            p.put("SignatureNonce", nonce);
            assertEquals(nonce, verifyQuery("GET", signedV1Query("GET", p, SECRET)).nonce());
        }
    }

    static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> c = new HashMap<>(m);
        c.put(k, v);
        return c;
    }

    @Test
    void credentialToStringHidesTheSecret() {
        Credential c = new Credential("AKID", SECRET, "1", null);
        assertTrue(!c.toString().contains(SECRET) && c.toString().contains("****"));
        assertEquals("acs:ram::1:root", c.principal());
    }
}
