package io.edgestop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SendTimelineTest {

    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;

    @Test
    void aStallShowsAsTheSecondsThatHoldTheTail() {
        SendTimeline timeline = new SendTimeline();
        long start = 5 * SECOND;
        for (int i = 0; i < 1000; i++) { // 100 a second for 10 s, 20 ms each
            timeline.record(start + i * 10 * MS, 20 * MS);
        }
        for (int i = 0; i < 8; i++) { // sent in second 3, behind a pause
            timeline.record(start + 3 * SECOND + i * MS, (300 - i) * MS);
        }
        for (int i = 0; i < 2; i++) { // two slow ones in second 7
            timeline.record(start + 7 * SECOND + i * MS, 50 * MS);
        }
        assertTail("above p99 (10): sent in 2 of 10 s, 100% in +3 s 8 (max 300 ms), +7 s 2 (max 50 ms)", timeline.tail(99, 3));
        assertTail("above p99 (10): sent in 2 of 10 s, 80% in +3 s 8 (max 300 ms)", timeline.tail(99, 1));
    }

    static void assertTail(String expected, String tail) {
        assertTrue(tail.matches(Pattern.quote(expected) + " \\(the first sent at \\d\\d:\\d\\d:\\d\\d\\.\\d{3}, to match with a JVM's log\\)"),
                tail);
    }

    @Test
    void aSteadyTailAndAnEmptyOne() {
        SendTimeline timeline = new SendTimeline();
        assertEquals("-", timeline.tail(99, 3));
        for (int i = 0; i < 100; i++) {
            timeline.record(i * SECOND / 10, 10 * MS);
        }
        assertEquals("none above p99", timeline.tail(99, 3));
        timeline.clear();
        assertEquals("-", timeline.tail(99, 3));
    }
}
