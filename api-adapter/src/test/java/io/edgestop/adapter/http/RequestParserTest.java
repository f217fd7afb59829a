package io.edgestop.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.edgestop.adapter.request.ApiException;

class RequestParserTest {

    @Test
    void queryAndFormBodyAreMerged() throws Exception {
        var p = RequestParser.parse("Action=StopEdgeTranscodeJob&ClusterId=a%20b*c%7E", "application/x-www-form-urlencoded",
                "JobId=%E4%BD%9C+x&Empty=&Flag".getBytes(StandardCharsets.UTF_8));
        assertEquals("a b*c~", p.get("ClusterId"));
        assertEquals("作 x", p.get("JobId"));
        assertEquals("", p.get("Empty"));
        assertEquals("", p.get("Flag"));
        assertEquals(2, p.query().size());
        assertEquals(3, p.body().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%zz", "a=%4", "a=%", "a=%E4%BD", "a=%C0%AF", "=x", "a=1&a=2", "%FF=1"})
    void brokenOrDuplicatedQueryIsRejected(String q) {
        ApiException e = assertThrows(ApiException.class, () -> RequestParser.parse(q, null, null));
        assertEquals("InvalidParameter", e.code(), q);
        assertEquals(400, e.status());
    }

    @Test
    void duplicatedAcrossQueryAndBody() {
        ApiException e = assertThrows(ApiException.class, () -> RequestParser.parse("JobId=1",
                "application/x-www-form-urlencoded", "JobId=2".getBytes(StandardCharsets.UTF_8)));
        assertEquals("InvalidParameter", e.code());
    }

    @Test
    void limits() {
        assertEquals("InvalidParameter", assertThrows(ApiException.class,
                () -> RequestParser.parse("JobId=" + "x".repeat(RequestParser.MAX_VALUE_LENGTH + 1), null, null)).code());
        assertEquals("InvalidParameter", assertThrows(ApiException.class,
                () -> RequestParser.parse("k".repeat(RequestParser.MAX_KEY_LENGTH + 1) + "=1", null, null)).code());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= RequestParser.MAX_PARAMS; i++) {
            many.append("p").append(i).append("=1&");
        }
        assertEquals("InvalidParameter", assertThrows(ApiException.class,
                () -> RequestParser.parse(many.toString(), null, null)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", ";", ";;", ""})
    void nonFormBodiesAreUnsupported(String ct) {
        ApiException e = assertThrows(ApiException.class,
                () -> RequestParser.parse("", ct.isEmpty() ? null : ct, "{\"JobId\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("UnsupportedMediaType", e.code());
        assertEquals(415, e.status());
    }

    @Test
    void invalidUtf8Body() {
        ApiException e = assertThrows(ApiException.class, () -> RequestParser.parse("",
                "application/x-www-form-urlencoded", new byte[] {'a', '=', (byte) 0xC3}));
        assertEquals("InvalidParameter", e.code());
    }

    @Test
    void emptyBodyWithAnyContentTypeIsFine() throws Exception {
        assertEquals("1", RequestParser.parse("a=1", "application/json", new byte[0]).get("a"));
    }
}
