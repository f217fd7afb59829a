package io.edgestop.orchestrator.decision.quota;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class QuotaLedgerProperties {

    /** Calls over ~5 minutes, out of order by up to 60 s. */
    @Provide
    Arbitrary<List<Long>> calls() {
        Arbitrary<Long> base = Arbitraries.longs().between(0, 300_000);
        Arbitrary<Long> jitter = Arbitraries.longs().between(0, 60_000);
        return Combinators.combine(base.list().ofMinSize(0).ofMaxSize(300), jitter.list().ofSize(300))
                .as((bases, jitters) -> {
                    List<Long> sorted = new ArrayList<>(bases);
                    sorted.sort(null);
                    List<Long> out = new ArrayList<>();
                    for (int i = 0; i < sorted.size(); i++) {
                        out.add(1_700_000_000_000L + sorted.get(i) + jitters.get(i));
                    }
                    return out;
                });
    }

    private static List<Long> run(List<Long> calls, int limit, List<Long> accepted) {
        QuotaLedger ledger = new QuotaLedger();
        List<Long> throttled = new ArrayList<>();
        for (long t : calls) {
            QuotaLedger.Decision d = ledger.tryAcquire(t, limit);
            if (d.accepted()) {
                accepted.add(t);
                assertTrue(d.count() <= limit);
            } else {
                throttled.add(t);
            }
            assertTrue(ledger.size() <= QuotaLedger.HORIZON_BUCKETS);
        }
        return throttled;
    }

    static int maxAlignedWindow(List<Long> calls) {
        TreeMap<Long, Integer> buckets = new TreeMap<>();
        calls.forEach(t -> buckets.merge(QuotaLedger.bucketOf(t), 1, Integer::sum));
        int max = 0;
        for (long b : buckets.keySet()) {
            for (long s = b - 59; s <= b; s++) {
                int sum = buckets.subMap(s, true, s + 59, true).values().stream().mapToInt(Integer::intValue).sum();
                max = Math.max(max, sum);
            }
        }
        return max;
    }

    @Property(tries = 200)
    void noAlignedWindowEverHoldsMoreAcceptedCallsThanTheLimit(@ForAll("calls") List<Long> calls,
                                                               @ForAll @IntRange(min = 1, max = 20) int limit) {
        List<Long> accepted = new ArrayList<>();
        run(calls, limit, accepted);
        assertTrue(maxAlignedWindow(accepted) <= limit);
    }

    @Property(tries = 200)
    void trafficUnderTheLimitIsNeverThrottled(@ForAll("calls") List<Long> calls, @ForAll @IntRange(min = 0, max = 3) int headroom) {
        int limit = Math.max(1, maxAlignedWindow(calls) + headroom);
        List<Long> accepted = new ArrayList<>();
        List<Long> throttled = run(calls, limit, accepted);
        assertEquals(List.of(), throttled);
    }

    /** After any history, a throttled call's hint is exact: throttled a second before it, accepted at it. */
    @Property(tries = 200)
    void theRetryHintIsTheFirstMomentARetryIsAccepted(@ForAll("calls") List<Long> calls,
                                                     @ForAll @IntRange(min = 1, max = 10) int limit,
                                                     @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 360_000) long probe) {
        QuotaLedger ledger = new QuotaLedger();
        calls.forEach(t -> ledger.tryAcquire(t, limit));
        long at = 1_700_000_000_000L + probe;
        QuotaLedger.Decision d = ledger.tryAcquire(at, limit);
        if (d.accepted() || d.count() == null) {
            return;
        }
        long retryAt = at + d.retryAfterMs();
        // at most a window past the newest counted call, which is at most the horizon ahead of a checkable one
        assertTrue(d.retryAfterMs() > 0 && d.retryAfterMs() <= (QuotaLedger.HORIZON_BUCKETS + 1) * 1000L, "" + d.retryAfterMs());
        if (retryAt - 1000 >= at) {
            assertFalse(ledger.tryAcquire(retryAt - 1000, limit).accepted(), "a second before the hint");
        }
        assertTrue(ledger.tryAcquire(retryAt, limit).accepted(), "at the hint");
    }

    @Property(tries = 100)
    void throttledCallsDoNotConsumeQuota(@ForAll @IntRange(min = 1, max = 5) int limit) {
        QuotaLedger ledger = new QuotaLedger();
        long t0 = 1_700_000_000_000L;
        for (int i = 0; i < limit; i++) {
            assertTrue(ledger.tryAcquire(t0, limit).accepted());
        }
        for (int i = 0; i < 50; i++) {
            assertFalse(ledger.tryAcquire(t0 + 59_999, limit).accepted());
        }
        // the first window to leave bucket t0 has the whole limit again
        for (int i = 0; i < limit; i++) {
            assertTrue(ledger.tryAcquire(t0 + 60_000, limit).accepted());
        }
    }

    /** What CommandLedger relies on: replaying the counted calls in time order rebuilds a ledger that decides alike. */
    @Property(tries = 100)
    void aLedgerRebuiltFromItsCountedCallsDecidesTheNextCallAlike(@ForAll("calls") List<Long> calls,
                                                                   @ForAll @IntRange(min = 1, max = 40) int limit,
                                                                   @ForAll @net.jqwik.api.constraints.LongRange(min = -100_000, max = 120_000) long probe) {
        List<Long> accepted = new ArrayList<>();
        QuotaLedger original = new QuotaLedger();
        for (long t : calls) {
            if (original.tryAcquire(t, limit).accepted()) {
                accepted.add(t);
            }
        }
        List<Long> sorted = new ArrayList<>(accepted);
        sorted.sort(null);
        QuotaLedger rebuilt = new QuotaLedger();
        sorted.forEach(t -> rebuilt.tryAcquire(t, Integer.MAX_VALUE));
        long at = (calls.isEmpty() ? 1_700_000_000_000L : calls.get(calls.size() - 1)) + probe;
        assertEquals(original.tryAcquire(at, limit), rebuilt.tryAcquire(at, limit));
    }
}
