package io.edgestop.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Each job query carries a credential of its own: the token never crosses the wire, and a credential works once, for its request, for a while. */
class QueryTokenTest {

    static final String TOKEN = "query-token-test-5d2e";
    static final byte[] BODY = "{\"action\":\"GetEdgeTranscodeJob\",\"accountId\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    static final long NOW = 1_800_000_000_000L;

    static QueryToken token(String value) {
        return QueryToken.fromSettings(Map.of(QueryToken.SETTING, value)).orElseThrow();
    }

    @Test
    void aCredentialOfTheTokenAdmitsItsRequestOnceAndNeverCarriesTheToken() {
        QueryToken caller = token(TOKEN);
        QueryToken endpoint = token(TOKEN);
        String credential = caller.authorization("POST", "/jobs", BODY, NOW);
        assertFalse(credential.contains(TOKEN), credential);
        assertTrue(endpoint.admits(credential, "POST", "/jobs", BODY, NOW + 1_000));
        assertFalse(endpoint.admits(credential, "POST", "/jobs", BODY, NOW + 2_000), "a replay");
        assertTrue(endpoint.admits(caller.authorization("POST", "/jobs", BODY, NOW), "POST", "/jobs", BODY, NOW), "a fresh nonce");
    }

    @Test
    void anotherRequestAnotherTokenOrAnotherTimeIsRefused() {
        QueryToken endpoint = token(TOKEN);
        String credential = token(TOKEN).authorization("POST", "/jobs", BODY, NOW);
        assertFalse(endpoint.admits(credential, "POST", "/jobs", "{}".getBytes(StandardCharsets.UTF_8), NOW), "another body");
        assertFalse(endpoint.admits(credential, "POST", "/other", BODY, NOW), "another path");
        assertFalse(endpoint.admits(credential, "GET", "/jobs", BODY, NOW), "another method");
        assertFalse(endpoint.admits(token(TOKEN + "x").authorization("POST", "/jobs", BODY, NOW), "POST", "/jobs", BODY, NOW));
        assertFalse(endpoint.admits(token(TOKEN).authorization("POST", "/jobs", BODY, NOW - QueryToken.SKEW_MS - 1),
                "POST", "/jobs", BODY, NOW), "too old");
        assertFalse(endpoint.admits(token(TOKEN).authorization("POST", "/jobs", BODY, NOW + QueryToken.SKEW_MS + 1),
                "POST", "/jobs", BODY, NOW), "too far ahead");
        String altered = credential.replace("t=" + NOW, "t=" + (NOW + 1));
        assertFalse(endpoint.admits(altered, "POST", "/jobs", BODY, NOW), "its time altered");
        for (String header : new String[] {null, "", "Bearer " + TOKEN, "EdgeStop-HMAC-SHA256 t=1", "EdgeStop-HMAC-SHA256 t=x,n=y,s=z"}) {
            assertFalse(endpoint.admits(header, "POST", "/jobs", BODY, NOW), String.valueOf(header));
        }
    }
}
