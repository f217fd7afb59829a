package io.edgestop.devtools.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.edgestop.topics.Topics;

/** The console refuses an address after too many wrong credentials, even when it then tries the right one. */
class LoginThrottleTest {

    @Test
    void fiveFailuresAMinuteThenRefusedUntilTheWindowPasses() {
        LoginThrottle t = new LoginThrottle();
        long now = 1_000_000;
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertTrue(t.allowed("10.0.0.1", now + i));
            t.failed("10.0.0.1", now + i);
        }
        assertFalse(t.allowed("10.0.0.1", now + 10));
        assertTrue(t.allowed("10.0.0.2", now + 10), "another address is not touched");
        assertEquals(60, t.retryAfterSeconds("10.0.0.1", now));
        assertFalse(t.allowed("10.0.0.1", now + LoginThrottle.WINDOW_MS - 1));
        assertTrue(t.allowed("10.0.0.1", now + LoginThrottle.WINDOW_MS));
    }

    @Test
    void floodedFromManyAddressesItClosesForNewOnes() {
        LoginThrottle t = new LoginThrottle();
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES; i++) {
            t.failed("a" + i, 0);
        }
        assertFalse(t.allowed("new", 10));
        assertTrue(t.allowed("a1", 10), "a tracked address below the limit may still try");
        assertTrue(t.allowed("new", LoginThrottle.WINDOW_MS + 1_000), "the window passed: swept");
    }

    @Test
    void theConsoleAnswers429AfterTooManyWrongPasswords() throws Exception {
        ConsoleState state = new ConsoleState(new Topics("t."), 30_000, 10, Clock.systemUTC());
        try (ConsoleServer server = ConsoleServer.start("127.0.0.1", 0, state, JsonNodeFactory.instance::objectNode, "right")) {
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, get(http, server.url(), "right").statusCode());
            assertEquals(401, get(http, server.url(), null).statusCode());
            for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
                assertEquals(401, get(http, server.url(), "wrong" + i).statusCode());
            }
            HttpResponse<String> refused = get(http, server.url(), "right");
            assertEquals(429, refused.statusCode(), "the right password too, from this address, for the window");
            assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) > 0);
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI url, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve("/api/overview")).GET();
        if (password != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
