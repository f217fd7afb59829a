package io.edgestop.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aTraceparentTravelsFromHeadersToHeaders() {
        Headers in = new RecordHeaders().add(TraceContext.TRACEPARENT, PARENT.getBytes(StandardCharsets.UTF_8))
                .add("other", new byte[] {1});
        assertEquals(PARENT, TraceContext.traceparent(in));
        Headers out = TraceContext.headers(TraceContext.traceparent(in));
        assertEquals(PARENT, new String(out.lastHeader(TraceContext.TRACEPARENT).value(), StandardCharsets.UTF_8));
        assertNull(out.lastHeader("other"), "only the trace context is carried on");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceId(TraceContext.extract(out)));
    }

    @Test
    void httpHeadersAreReadByName() {
        Map<String, String> http = Map.of("traceparent", PARENT, "tracestate", "vendor=1");
        Headers out = TraceContext.inject(TraceContext.extract(http::get), new RecordHeaders());
        assertEquals(PARENT, TraceContext.traceparent(out));
        assertEquals("vendor=1", new String(out.lastHeader("tracestate").value(), StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedOrMissingTraceparentIsNone() {
        for (String bad : new String[] {"garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", PARENT + "\n; secret=1"}) {
            Headers in = new RecordHeaders().add(TraceContext.TRACEPARENT, bad.getBytes(StandardCharsets.UTF_8));
            assertNull(TraceContext.traceparent(in), bad);
            assertFalse(TraceContext.headers(bad).headers(TraceContext.TRACEPARENT).iterator().hasNext(), bad);
        }
        assertNull(TraceContext.traceparent(new RecordHeaders()));
        assertFalse(TraceContext.headers(null).iterator().hasNext());
        assertNull(TraceContext.traceId(TraceContext.extract(new RecordHeaders())));
    }

    @Test
    void injectingReplacesTheTraceparentThere() {
        Headers headers = new RecordHeaders().add(TraceContext.TRACEPARENT, "old".getBytes(StandardCharsets.UTF_8));
        TraceContext.inject(TraceContext.extract(TraceContext.headers(PARENT)), headers);
        assertEquals(1, headers.toArray().length);
        assertEquals(PARENT, TraceContext.traceparent(headers));
    }
}
