package io.edgestop.orchestrator.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.edgestop.orchestrator.decision.quota.QuotaLedger;

/**
 * The per-account quota of the read actions (GetEdgeTranscodeJob, ListEdgeTranscodeJob), each with
 * its own counter, apart from the stop's: the same sliding 60-second rule ({@link QuotaLedger}),
 * counted on the wall clock of the instance that answers, which is the account's owner (reads are
 * routed there). Reads are not decisions on Kafka, so the counters live in memory only: they are
 * not replayed, and an account whose partition moves to another instance starts a fresh count there.
 */
final class ReadQuota {

    private static final long SWEEP_EVERY_MS = 60_000;

    private final int perMinute;
    private final Map<String, QuotaLedger> ledgers = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    ReadQuota(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts one call of {@code action} by {@code accountId} at {@code nowMs}; not accepted when over the limit. */
    QuotaLedger.Decision tryAcquire(String accountId, String action, long nowMs) {
        sweep(nowMs);
        QuotaLedger ledger = ledgers.computeIfAbsent(accountId + "\n" + action, k -> new QuotaLedger());
        synchronized (ledger) {
            return ledger.tryAcquire(nowMs, perMinute);
        }
    }

    /** Drops the ledgers of accounts quiet for longer than the ledger's horizon: they would start empty anyway. */
    private void sweep(long nowMs) {
        if (nowMs - lastSweep < SWEEP_EVERY_MS) {
            return;
        }
        lastSweep = nowMs;
        long stale = QuotaLedger.bucketOf(nowMs) - QuotaLedger.HORIZON_BUCKETS;
        ledgers.values().removeIf(l -> {
            synchronized (l) {
                return l.newestBucket() < stale;
            }
        });
    }

    int accounts() {
        return ledgers.size();
    }
}
