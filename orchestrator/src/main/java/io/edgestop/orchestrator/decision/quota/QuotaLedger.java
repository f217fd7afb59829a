package io.edgestop.orchestrator.decision.quota;

import java.util.Map;
import java.util.TreeMap;

/**
 * The quota state of one account: sparse counts of accepted calls per 1-second bucket of event
 * time (bucket = floor(timestamp / 1000)).
 *
 * <p>A call in bucket {@code b} is accepted iff, for every window of 60 whole-second buckets
 * {@code [s, s+59]} that contains {@code b} (s = b-59 .. b), the accepted calls already counted
 * in the window plus this one stay within the limit. Because every aligned window containing the
 * call is checked (not only the one ending at it), late (out-of-order) calls cannot push any
 * aligned window over the limit. Throttled calls are not counted.
 *
 * <p>Only the buckets the check can need are kept: after each accepted call, buckets older than
 * {@link #HORIZON_BUCKETS} seconds before the newest counted bucket are dropped and the
 * {@code floor} (the oldest bucket whose count is still known exactly) moves up. A call so late
 * that one of its windows reaches below the floor (more than about 120 s older than the newest
 * counted call of the account) cannot be checked and is throttled, conservatively.
 */
public final class QuotaLedger {

    public static final int WINDOW_BUCKETS = 60;
    public static final int HORIZON_BUCKETS = 180;
    private static final long NO_FLOOR = Long.MIN_VALUE / 4;

    private long floor;
    private final TreeMap<Long, Integer> buckets;

    public QuotaLedger() {
        this(NO_FLOOR, new TreeMap<>());
    }

    private QuotaLedger(long floor, TreeMap<Long, Integer> buckets) {
        this.floor = floor;
        this.buckets = buckets;
    }

    /**
     * What the ledger decided for one call. {@code count} is null when the call was too late to check.
     * {@code retryAfterMs}, for a throttled call, is how long after the call's timestamp the first call
     * would be accepted if nothing else is counted meanwhile (the start of the first second whose
     * windows all have room); null when accepted, too late to check (a retry is a new, later call) or
     * when the limit admits no call at all.
     */
    public record Decision(boolean accepted, Integer count, Long retryAfterMs) {
    }

    public static long bucketOf(long timestampMs) {
        return Math.floorDiv(timestampMs, 1000L);
    }

    /**
     * Checks one call at {@code timestampMs} against {@code limit}; when accepted it is counted.
     * The returned count is the fullest aligned window containing the call, including the call.
     */
    public Decision tryAcquire(long timestampMs, int limit) {
        long b = bucketOf(timestampMs);
        if (b - (WINDOW_BUCKETS - 1) < floor) {
            return new Decision(false, null, null);
        }
        int count = fullestWindow(b) + 1;
        if (count > limit) {
            return new Decision(false, count, retryAfter(timestampMs, b, limit));
        }
        buckets.merge(b, 1, Integer::sum);
        prune();
        return new Decision(true, count, null);
    }

    /** The most calls counted in one aligned 60-bucket window containing bucket {@code b}. */
    private int fullestWindow(long b) {
        long first = b - (WINDOW_BUCKETS - 1);
        int span = 2 * WINDOW_BUCKETS - 1;
        int[] counts = new int[span];
        for (Map.Entry<Long, Integer> e : buckets.subMap(first, true, b + WINDOW_BUCKETS - 1, true).entrySet()) {
            counts[(int) (e.getKey() - first)] = e.getValue();
        }
        int sum = 0;
        for (int i = 0; i < WINDOW_BUCKETS; i++) {
            sum += counts[i];
        }
        int max = sum;
        for (int s = 1; s < WINDOW_BUCKETS; s++) {
            sum += counts[s + WINDOW_BUCKETS - 1] - counts[s - 1];
            max = Math.max(max, sum);
        }
        return max;
    }

    /**
     * The first later second whose windows all have room: at the latest the one whose windows start
     * after the newest counted bucket (they are empty). One pass over the counts of the seconds the
     * candidates' windows cover (a few hundred), so a flood of throttled calls stays cheap.
     */
    private Long retryAfter(long timestampMs, long b, int limit) {
        if (limit < 1) {
            return null;
        }
        long last = Math.max(b, newestBucket()) + WINDOW_BUCKETS;
        long lo = b + 1 - (WINDOW_BUCKETS - 1);                 // first window start of the first candidate
        long hi = last - 1 + (WINDOW_BUCKETS - 1);              // last bucket of the last candidate's last window
        long[] prefix = new long[(int) (hi - lo + 2)];
        for (Map.Entry<Long, Integer> e : buckets.subMap(lo, true, hi, true).entrySet()) {
            prefix[(int) (e.getKey() - lo) + 1] = e.getValue();
        }
        for (int i = 1; i < prefix.length; i++) {
            prefix[i] += prefix[i - 1];
        }
        for (long next = b + 1; next < last; next++) {
            long fullest = 0;
            for (long start = next - (WINDOW_BUCKETS - 1); start <= next; start++) {
                int from = (int) (start - lo);
                fullest = Math.max(fullest, prefix[from + WINDOW_BUCKETS] - prefix[from]);
            }
            if (fullest < limit) {
                return next * 1000L - timestampMs;
            }
        }
        return last * 1000L - timestampMs;
    }

    private void prune() {
        long newest = buckets.lastKey();
        long newFloor = newest - (HORIZON_BUCKETS - 1);
        if (newFloor > floor) {
            floor = newFloor;
            buckets.headMap(floor, false).clear();
        }
    }

    /** The newest bucket with a counted call, or the lowest long when none. */
    public long newestBucket() {
        return buckets.isEmpty() ? Long.MIN_VALUE : buckets.lastKey();
    }

    /** Number of buckets kept (for tests and sizing). */
    public int size() {
        return buckets.size();
    }
}
