package io.edgestop.orchestrator.decision.quota;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class QuotaLedgerTest {

    static final long T = 1_700_000_000_000L; // a whole second

    @Test
    void windowBoundariesAreWholeSeconds() {
        QuotaLedger l = new QuotaLedger();
        assertTrue(l.tryAcquire(T + 999, 2).accepted());       // bucket 0
        assertTrue(l.tryAcquire(T + 59_999, 2).accepted());    // bucket 59
        assertFalse(l.tryAcquire(T + 59_000, 2).accepted());   // bucket 59 again: [0..59] full
        assertTrue(l.tryAcquire(T + 60_000, 2).accepted(), "bucket 60: every window containing it holds at most bucket 59");
        assertFalse(l.tryAcquire(T + 60_500, 2).accepted(), "bucket 60 again: [1..60] now holds 59 and 60");
    }

    @Test
    void slidingAlignedWindows() {
        QuotaLedger l = new QuotaLedger();
        assertTrue(l.tryAcquire(T, 2).accepted());            // bucket 0
        assertTrue(l.tryAcquire(T + 30_000, 2).accepted());   // bucket 30
        assertFalse(l.tryAcquire(T + 59_999, 2).accepted());  // bucket 59: [0..59] has 2
        QuotaLedger.Decision d = l.tryAcquire(T + 60_000, 2); // bucket 60: [1..60] has 1 -> ok
        assertTrue(d.accepted());
        assertEquals(2, d.count());
    }

    @Test
    void lateCallCannotOverfillAnEarlierWindow() {
        QuotaLedger l = new QuotaLedger();
        assertTrue(l.tryAcquire(T + 10_000, 1).accepted());   // bucket 10
        assertFalse(l.tryAcquire(T, 1).accepted());           // bucket 0 shares [0..59] with bucket 10
        assertTrue(l.tryAcquire(T + 70_000, 1).accepted());   // bucket 70: [11..70] is empty
    }

    @Test
    void callsTooLateToCheckAreThrottledConservatively() {
        QuotaLedger l = new QuotaLedger();
        assertTrue(l.tryAcquire(T + 400_000, 10).accepted());
        QuotaLedger.Decision d = l.tryAcquire(T, 10);
        assertFalse(d.accepted());
        assertNull(d.count());
        assertTrue(l.tryAcquire(T + 400_000 - 120_000, 10).accepted(), "120 s late is still checked exactly");
    }

    @Test
    void aThrottledCallIsToldWhenTheFirstWindowFreesASlot() {
        QuotaLedger l = new QuotaLedger();
        assertTrue(l.tryAcquire(T + 10_000, 2).accepted());   // bucket 10
        assertTrue(l.tryAcquire(T + 40_000, 2).accepted());   // bucket 40
        QuotaLedger.Decision d = l.tryAcquire(T + 45_500, 2); // bucket 45: [10..69] and on hold 2
        assertFalse(d.accepted());
        assertEquals(70_000 - 45_500, d.retryAfterMs(), "bucket 70: [11..70] holds only bucket 40");
        assertFalse(l.tryAcquire(T + 69_999, 2).accepted());
        assertTrue(l.tryAcquire(T + 70_000, 2).accepted());
        assertNull(l.tryAcquire(T + 70_000, 0).retryAfterMs(), "a limit of 0 never admits a call");
    }

    @Test
    void aLateThrottledCallWaitsForItsLaterWindowsToo() {
        QuotaLedger l = new QuotaLedger();
        assertTrue(l.tryAcquire(T + 50_000, 1).accepted());  // bucket 50
        QuotaLedger.Decision late = l.tryAcquire(T, 1);       // bucket 0 shares [0..59] with 50
        assertFalse(late.accepted());
        assertEquals(110_000, late.retryAfterMs(), "bucket 110 is the first whose windows leave out bucket 50");
    }
}
