package io.edgestop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.edgestop.ops.NonceCache.Use;

class NonceCacheTest {

    static final long NOW = 1_000_000_000L;

    @Test
    void remembersUntilTheWindowPasses() {
        NonceCache cache = new NonceCache(900_000, 10);
        assertEquals(Use.FIRST, cache.use("AK", "n1", NOW, NOW));
        assertEquals(Use.REPLAY, cache.use("AK", "n1", NOW, NOW + 1_000));
        assertEquals(Use.FIRST, cache.use("OTHER", "n1", NOW, NOW + 1_000), "each scope its own nonces");
        assertEquals(Use.FIRST, cache.use("AK", "n1", NOW, NOW + 900_001), "expired entries do not block");
    }

    @Test
    void aRequestDatedAheadIsRememberedUntilItsOwnTimeLeavesTheWindow() {
        NonceCache cache = new NonceCache(900_000, 10);
        assertEquals(Use.FIRST, cache.use("AK", "ahead", NOW + 600_000, NOW));
        assertEquals(Use.REPLAY, cache.use("AK", "ahead", NOW + 600_000, NOW + 1_200_000));
    }

    @Test
    void fullItRefusesNewNoncesAndStillRecognisesTheOnesItHolds() {
        NonceCache cache = new NonceCache(900_000, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(Use.FIRST, cache.use("AK", "n" + i, NOW, NOW));
        }
        assertEquals(Use.FULL, cache.use("AK", "one-more", NOW, NOW), "not accepted unprotected");
        assertEquals(Use.FULL, cache.use("AK", "one-more", NOW, NOW + 10), "and not remembered either");
        assertEquals(Use.REPLAY, cache.use("AK", "n3", NOW, NOW + 10), "what it holds still protects");
        assertTrue(cache.size() <= 10, "bounded");
        // once the window has passed, the sweep makes room again
        assertEquals(Use.FIRST, cache.use("AK", "one-more", NOW + 900_001, NOW + 900_001));
        assertEquals(1, cache.size());
    }
}
