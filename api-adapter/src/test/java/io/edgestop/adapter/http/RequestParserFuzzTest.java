package io.edgestop.adapter.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.edgestop.adapter.auth.ActionBinding;
import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;

/**
 * Coverage-guided fuzzing of what arrives on the wire: any query string, Content-Type and body is
 * either parsed within the limits or refused with an Alibaba error (ApiException), never another
 * exception. Corpus-only in every build; {@code JAZZER_FUZZ=1} fuzzes (see docs/security.md).
 */
class RequestParserFuzzTest {

    private static final String[] CONTENT_TYPES = {null, "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded;charset=\"latin1\"",
            "application/json", ";", ""};

    @FuzzTest(maxDuration = "60s")
    void anyRequestIsParsedOrRefusedWithAnAlibabaError(FuzzedDataProvider data) {
        String contentType = data.pickValue(CONTENT_TYPES);
        String action = data.consumeBoolean() ? data.consumeString(40) : null;
        String authorization = data.consumeBoolean() ? "ACS3-HMAC-SHA256 x" : null;
        String query = data.consumeString(2_000);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            Params p = RequestParser.parse(query, contentType, body);
            assertTrue(p.all().size() <= RequestParser.MAX_PARAMS);
            p.all().forEach((k, v) -> assertTrue(!k.isEmpty() && k.length() <= RequestParser.MAX_KEY_LENGTH
                    && v.length() <= RequestParser.MAX_VALUE_LENGTH));
            ActionBinding.of(p, name -> switch (name) {
                case "x-acs-action" -> action;
                case "authorization" -> authorization;
                default -> null;
            });
        } catch (ApiException expected) {
            assertTrue(expected.status() >= 400 && expected.status() < 500, expected.code());
        }
    }
}
