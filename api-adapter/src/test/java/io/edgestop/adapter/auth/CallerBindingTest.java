package io.edgestop.adapter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgestop.adapter.http.RequestParser;
import io.edgestop.adapter.request.ApiException;
import io.edgestop.ops.NonceCache;

/** Which action a request may call, its nonce's form, its AccessKeyId's rate and its nonce on this instance. */
class CallerBindingTest {

    static final String V1_GET = "Action=GetEdgeTranscodeJob&Version=2016-11-01&Signature=x";

    static ActionBinding.Bound bind(String query, Map<String, String> headers) throws ApiException {
        return ActionBinding.of(RequestParser.parse(query, null, new byte[0]), headers::get);
    }

    @Test
    void v1TheSignedParametersDecideAndADisagreeingHeaderIsRefused() throws Exception {
        assertEquals(new ActionBinding.Bound("GetEdgeTranscodeJob", "2016-11-01"), bind(V1_GET, Map.of()));
        assertEquals(new ActionBinding.Bound("GetEdgeTranscodeJob", "2016-11-01"),
                bind(V1_GET, Map.of("x-acs-action", "GetEdgeTranscodeJob", "x-acs-version", "2016-11-01")), "agreeing headers");
        for (Map<String, String> forged : List.of(Map.of("x-acs-action", "StopEdgeTranscodeJob"),
                Map.of("x-acs-version", "2099-01-01"))) {
            ApiException e = assertThrows(ApiException.class, () -> bind(V1_GET, forged), forged.toString());
            assertEquals("InvalidParameter", e.code());
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("A V1 signature covers only the parameters"), e.getMessage());
        }
        // a header never stands in for a missing signed parameter
        assertEquals(new ActionBinding.Bound(null, "2016-11-01"),
                bind("Version=2016-11-01&Signature=x", Map.of()));
        assertThrows(ApiException.class, () -> bind("Version=2016-11-01&Signature=x", Map.of("x-acs-action", "StopEdgeTranscodeJob")));
    }

    @Test
    void v3TheSignedHeadersDecideAndADisagreeingParameterIsRefused() throws Exception {
        Map<String, String> v3 = new HashMap<>(Map.of("authorization", "ACS3-HMAC-SHA256 ...",
                "x-acs-action", "GetEdgeTranscodeJob", "x-acs-version", "2016-11-01"));
        assertEquals(new ActionBinding.Bound("GetEdgeTranscodeJob", "2016-11-01"), bind("", v3));
        assertEquals(new ActionBinding.Bound("GetEdgeTranscodeJob", "2016-11-01"), bind("Action=GetEdgeTranscodeJob", v3));
        ApiException e = assertThrows(ApiException.class, () -> bind("Action=StopEdgeTranscodeJob", v3));
        assertEquals("InvalidParameter", e.code());
        assertTrue(e.getMessage().contains("A V3 signature binds the action"), e.getMessage());
    }

    @Test
    void anUnsignedRequestTakesTheHeaderFirstAndIsRefusedByTheAuthenticatorLater() throws Exception {
        assertEquals("StopEdgeTranscodeJob", bind("Action=GetEdgeTranscodeJob", Map.of("x-acs-action", "StopEdgeTranscodeJob")).action());
    }

    @Test
    void theRateOfOneAccessKeyIsBoundedAndOthersAreNotTouched() {
        AccessKeyRateLimit rate = new AccessKeyRateLimit(5);
        long now = 1_000_000;
        for (int i = 0; i < 5; i++) {
            assertTrue(rate.tryAcquire("AK", now));
        }
        assertFalse(rate.tryAcquire("AK", now), "a second's worth, then refused");
        assertTrue(rate.tryAcquire("OTHER", now), "each key its own budget");
        assertTrue(rate.tryAcquire("AK", now + 200), "one token back after 1/5 s");
        assertFalse(rate.tryAcquire("AK", now + 200));
        assertTrue(rate.tryAcquire("AK", now + 61_000 + 200));
        assertEquals(1, rate.keys(), "idle keys dropped");
    }

    /** A request that read the clock before another one took the bucket takes nothing from it. */
    @Test
    void anEarlierClockReadingDoesNotOverdrawTheBucket() {
        AccessKeyRateLimit rate = new AccessKeyRateLimit(5);
        long now = 1_000_000;
        assertTrue(rate.tryAcquire("AK", now + 500));
        for (int i = 0; i < 4; i++) {
            assertTrue(rate.tryAcquire("AK", now), "read the clock 500 ms before the first request took the bucket");
        }
        assertFalse(rate.tryAcquire("AK", now + 500), "the second's worth is spent, not overdrawn");
        assertTrue(rate.tryAcquire("AK", now + 700), "one token back 1/5 s later");
    }

    @Test
    void theGateThrottlesBeforeItRemembersTheNonceAndFailsClosedWhenFull() throws Exception {
        CallerGate gate = new CallerGate(new AccessKeyRateLimit(3), new NonceCache(900_000, 2));
        Credential c = new Credential("AK", "secret", "1", null);
        long now = 1_000_000;
        gate.admit(verified(c, "n1", now), now);
        assertEquals("SignatureNonceUsed", assertThrows(ApiException.class, () -> gate.admit(verified(c, "n1", now), now)).code());
        gate.admit(verified(c, "n2", now), now);
        // over the rate: refused before the nonce is looked at or remembered
        assertEquals("Throttling.User", assertThrows(ApiException.class, () -> gate.admit(verified(c, "n3", now), now)).code());
        ApiException full = assertThrows(ApiException.class, () -> gate.admit(verified(c, "n3", now + 1_000), now + 1_000));
        assertEquals("ServiceUnavailable", full.code(), "the cache holds n1 and n2: a third is refused, not let through");
        assertEquals(503, full.status());
    }

    static Authenticator.Verified verified(Credential c, String nonce, long at) {
        return new Authenticator.Verified(c, Authenticator.Scheme.V1, nonce, Instant.ofEpochMilli(at));
    }
}
