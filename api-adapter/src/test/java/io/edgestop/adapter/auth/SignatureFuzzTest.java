package io.edgestop.adapter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.edgestop.adapter.http.RequestParser;
import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;

/**
 * Coverage-guided fuzzing of V1 and V3 canonicalisation and verification: (1) whatever a request
 * carries, verification ends in a caller or an Alibaba error, never another exception; (2) any
 * parameters and headers a client signs, sent in the canonical wire form, verify: the adapter's
 * decoding and canonicalisation agree with the signer's for every string.
 */
class SignatureFuzzTest {

    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    static final String SECRET = "fuzz-secret";
    static final Authenticator AUTH = new Authenticator(new InMemoryCredentialStore(List.of(
            new Credential("AKID", SECRET, "1", null))), Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC), true);

    @FuzzTest(maxDuration = "60s")
    void anyRequestVerifiesOrIsRefusedWithAnAlibabaError(FuzzedDataProvider data) {
        Map<String, String> headers = new HashMap<>();
        for (String name : List.of("authorization", "host", "x-acs-action", "x-acs-version", "x-acs-date",
                "x-acs-signature-nonce", "content-type")) {
            if (data.consumeBoolean()) {
                headers.put(name, data.consumeString(200));
            }
        }
        String method = data.pickValue(new String[] {"GET", "POST", "get"});
        String query = data.consumeRemainingAsString();
        try {
            Params params = RequestParser.parse(query, null, new byte[0]);
            ActionBinding.of(params, headers::get);
            AUTH.verify(method, params, headers::get, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        } catch (ApiException expected) {
            assertTrue(expected.status() >= 400 && expected.status() < 500, expected.code());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void whatAClientSignsInV1Verifies(FuzzedDataProvider data) throws Exception {
        Map<String, String> p = base();
        p.put("Action", "GetEdgeTranscodeJob");
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            String key = data.consumeString(20);
            if (!key.isEmpty() && !p.containsKey(key) && !key.equals("Signature")) {
                p.put(key, data.consumeString(60));
            }
        }
        Map<String, String> signed = new TreeMap<>(p);
        signed.put("Signature", SignatureV1.sign(SECRET, SignatureV1.stringToSign("GET", p)));
        String query = SignatureV1.canonicalQuery(p) + "&Signature=" + AcsEncoding.percentEncode(signed.get("Signature"));
        Authenticator.Verified v = AUTH.verify("GET", RequestParser.parse(query, null, new byte[0]), h -> null,
                SignatureV3.EMPTY_BODY_SHA256);
        assertEquals("AKID", v.credential().accessKeyId());
    }

    @FuzzTest(maxDuration = "60s")
    void whatAClientSignsInV3Verifies(FuzzedDataProvider data) throws Exception {
        Map<String, String> query = new TreeMap<>();
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            String key = data.consumeString(20);
            if (!key.isEmpty()) {
                query.put(key, data.consumeString(60));
            }
        }
        Map<String, String> h = new HashMap<>();
        h.put("host", "live.aliyuncs.com");
        h.put("x-acs-action", "GetEdgeTranscodeJob");
        h.put("x-acs-version", "2016-11-01");
        h.put("x-acs-date", NOW.toString());
        h.put("x-acs-signature-nonce", "n-1");
        String extra = data.consumeString(60).strip();
        if (!extra.isEmpty() && extra.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            h.put("x-acs-extra", extra);
        }
        List<String> names = List.copyOf(h.keySet());
        String body = SignatureV3.EMPTY_BODY_SHA256;
        String sig = SignatureV3.sign(SECRET, SignatureV3.stringToSign(SignatureV3.canonicalRequest("POST", query, h, names, body)));
        Map<String, String> wire = new HashMap<>(h);
        wire.put("authorization", SignatureV3.ALGORITHM + " Credential=AKID,SignedHeaders=" + SignatureV3.signedHeaderList(names)
                + ",Signature=" + sig);
        Authenticator.Verified v = AUTH.verify("POST", RequestParser.parse(SignatureV3.canonicalQuery(query), null, new byte[0]),
                wire::get, body);
        assertEquals(Authenticator.Scheme.V3, v.scheme());
    }

    private static Map<String, String> base() {
        Map<String, String> p = new TreeMap<>();
        p.put("Version", "2016-11-01");
        p.put("AccessKeyId", "AKID");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", "n-1");
        p.put("Timestamp", NOW.toString());
        return p;
    }
}
