package io.edgestop.orchestrator.state;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.orchestrator.decision.quota.QuotaLedger;
import io.edgestop.schema.CommandLedgerEntry;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.TopicContract;

/**
 * Steps 0 and 2, signature nonce and quota, on one record per command: the account's task keeps
 * an entry per command in one key-value store, {@code accountId \n accessKeyId \n nonce} for a
 * command with a signature nonce, {@code accountId \n \u0001 requestId} for one without, valued
 * with a {@link CommandLedgerEntry}: the command's event time and whether the quota counted it. Both checks read it: the nonce
 * check by key, the quota from a {@link QuotaLedger} per account kept in memory, built from the
 * account's counted entries (a prefix scan) the first time the account is seen after the task
 * started. So a decision writes one record for both rules, once: the nonce check only reads, and the
 * entry is written by {@link #acquire} (counted or not) or, for a command rejected between the two
 * rules, by {@link #recordNonce}. Its keys are unique per command, so the store has no cache: a
 * record cache would only sort them and flush each one at commit (docs/benchmarks.md).
 *
 * <p>Entries are forgotten by a stream-time sweep that visits a slice of the store once per sweep
 * interval, at the task's own turn in it (its partition's twelfth of the interval), so that the tasks
 * of an instance, which share a stream thread, do not sweep back to back: nonce entries three nonce
 * windows after their time (a replay reaches two, and one up to
 * one window late relative to stream time is still caught), the others {@link #QUOTA_KEEP_MS} after it, longer
 * than any quota window can look back. The rebuilt ledger equals the one the account's history
 * gave for every command less than about six minutes behind stream time (older ones were throttled
 * as "too late to check" before and may now be checked).
 *
 * <p>Not a window store, whose segments would forget by themselves: Kafka Streams 4.3.1 keeps a
 * segmented store's committed offset inside its segments, so an empty one has none; under
 * exactly-once its task is then found corrupted whenever it is assigned again, and handling that
 * during a rebalance can abort the uncommitted writes of the thread's other tasks for good
 * (docs/reliability.md).
 */
public final class CommandLedger {

    public static final String STORE = TopicContract.COMMAND_LEDGER.streamsName();
    /** How long an entry without a nonce is kept: twice the quota horizon. */
    static final long QUOTA_KEEP_MS = 2L * QuotaLedger.HORIZON_BUCKETS * 1000;
    private static final int MIN_SWEEP = 1000;
    /** Turns per sweep interval: each task sweeps at the turn of its partition (modulo this). */
    static final int TURNS = 12;
    private static final Logger log = LoggerFactory.getLogger(CommandLedger.class);
    /**
     * How many windows apart a nonce's two uses are still one replay: the adapter accepts a request whose signed
     * Timestamp is within one window of its arrival, so the first use and a replay of the same signed request
     * can arrive up to two windows apart (a Timestamp one window ahead of the first arrival, the replay one
     * window after it). The event time is the arrival, so the check reaches two windows either side.
     */
    static final int NONCE_REACH = 2;

    private final KeyValueStore<String, CommandLedgerEntry> entries;
    private final long nonceWindowMs;
    private final long sweepIntervalMs;
    private final long turnOffsetMs;
    private final Map<String, QuotaLedger> quotas = new HashMap<>();
    private String cursor;
    private long nextSweep = -1;

    /** {@code partition}: the task's partition, which sets its turn in each sweep interval. */
    public CommandLedger(KeyValueStore<String, CommandLedgerEntry> entries, long nonceWindowMs, long sweepIntervalMs, int partition) {
        this.entries = entries;
        this.nonceWindowMs = nonceWindowMs;
        this.sweepIntervalMs = sweepIntervalMs;
        this.turnOffsetMs = Math.floorMod(partition, TURNS) * turnMs();
    }

    /** How often {@link #tick} must be called, in stream time. */
    public long turnMs() {
        return Math.max(1, sweepIntervalMs / TURNS);
    }

    /**
     * The store format: {@link CommandLedgerEntry}, Avro under the evolution gate. Also reads the format
     * before it, which stores kept by earlier builds still hold: an 8-byte big-endian long, event time * 4
     * + 1 when counted + 2 when a nonce (Avro single-object encoding is at least 10 bytes).
     */
    public static Serde<CommandLedgerEntry> serde() {
        AvroSerde<CommandLedgerEntry> avro = AvroSerdes.commandLedgerEntry();
        Deserializer<CommandLedgerEntry> de = (topic, data) -> {
            if (data != null && data.length == Long.BYTES) {
                long v = ByteBuffer.wrap(data).getLong();
                long flags = Math.floorMod(v, 4);
                return entry(Math.floorDiv(v, 4), (flags & 1) != 0, (flags & 2) != 0);
            }
            return avro.deserialize(topic, data);
        };
        return Serdes.serdeFrom(avro, de);
    }

    private static String prefix(String accountId) {
        return accountId + "\n";
    }

    private static String nonceKey(StopCommand c) {
        return prefix(c.getAccountId()) + (c.getAccessKeyId() == null ? "" : c.getAccessKeyId()) + "\n" + c.getSignatureNonce();
    }

    private static String commandKey(StopCommand c) {
        return prefix(c.getAccountId()) + "\u0001" + c.getRequestId();
    }

    private static CommandLedgerEntry entry(long ts, boolean counted, boolean nonce) {
        return new CommandLedgerEntry(Instant.ofEpochMilli(ts), counted, nonce);
    }

    private static long time(CommandLedgerEntry e) {
        return e.getEventTime().toEpochMilli();
    }

    /**
     * Step 0: true when this AccessKeyId used the command's nonce within {@link #NONCE_REACH} windows around
     * {@code ts}. Only reads: a command that passes records its nonce with {@link #acquire} or
     * {@link #recordNonce}. Commands without a nonce are never "used".
     */
    public boolean nonceUsed(StopCommand c, long ts) {
        if (c.getSignatureNonce() == null) {
            return false;
        }
        CommandLedgerEntry previous = entries.get(nonceKey(c));
        return previous != null && Math.abs(ts - time(previous)) <= NONCE_REACH * nonceWindowMs;
    }

    /** Records the nonce of a command that passed step 0 but is rejected before step 2 (its quota not counted). */
    public void recordNonce(StopCommand c, long ts) {
        if (c.getAccountId() != null && c.getSignatureNonce() != null) {
            entries.put(nonceKey(c), entry(ts, false, true));
        }
    }

    /**
     * Step 2: the quota decision for the command at {@code ts}, for a command that passed step 0. A call that
     * passes is counted; either way the command's one entry is written (none for a throttled call without a nonce).
     */
    public QuotaLedger.Decision acquire(StopCommand c, long ts, int limit) {
        QuotaLedger ledger = quotas.computeIfAbsent(c.getAccountId(), this::rebuild);
        QuotaLedger.Decision decision = ledger.tryAcquire(ts, limit);
        boolean withNonce = c.getSignatureNonce() != null;
        if (decision.accepted() || withNonce) {
            entries.put(withNonce ? nonceKey(c) : commandKey(c), entry(ts, decision.accepted(), withNonce));
        }
        return decision;
    }

    /** The account's ledger from its counted entries, replayed in time order. */
    private QuotaLedger rebuild(String accountId) {
        List<Long> counted = new ArrayList<>();
        try (KeyValueIterator<String, CommandLedgerEntry> it = entries.prefixScan(prefix(accountId), Serdes.String().serializer())) {
            it.forEachRemaining(kv -> {
                if (kv.value.getCounted()) {
                    counted.add(time(kv.value));
                }
            });
        }
        counted.sort(null);
        QuotaLedger ledger = new QuotaLedger();
        counted.forEach(ts -> ledger.tryAcquire(ts, Integer.MAX_VALUE));
        return ledger;
    }

    /**
     * Called every {@link #turnMs()} of stream time: sweeps once per sweep interval, at the first tick at or after
     * this task's turn (the first tick after a start only finds the next turn). True when it swept.
     */
    public boolean tick(long streamTime) {
        boolean due = nextSweep >= 0 && streamTime >= nextSweep;
        if (due) {
            sweep(streamTime);
        }
        if (due || nextSweep < 0) {
            nextSweep = (Math.floorDiv(streamTime - turnOffsetMs, sweepIntervalMs) + 1) * sweepIntervalMs + turnOffsetMs;
        }
        return due;
    }

    /**
     * Deletes, in the next slice of the store, the entries past their keeping time, and drops the
     * in-memory ledgers of accounts with no counted call within the quota horizon.
     */
    void sweep(long streamTime) {
        long started = System.nanoTime();
        long size = entries.approximateNumEntries();
        long slice = Math.max(MIN_SWEEP, size / Math.max(1, nonceWindowMs / sweepIntervalMs));
        List<String> expired = new ArrayList<>();
        String last = null;
        int visited = 0;
        try (KeyValueIterator<String, CommandLedgerEntry> it = cursor == null ? entries.all() : entries.range(cursor, null)) {
            while (it.hasNext() && visited < slice) {
                KeyValue<String, CommandLedgerEntry> kv = it.next();
                if (kv.key.equals(cursor)) {
                    continue; // where the last slice ended
                }
                visited++;
                last = kv.key;
                long keep = kv.value.getNonce() ? (NONCE_REACH + 1) * nonceWindowMs : QUOTA_KEEP_MS;
                if (time(kv.value) < streamTime - keep) {
                    expired.add(kv.key);
                }
            }
            cursor = it.hasNext() ? last : null; // at the end: start again from the first key
        }
        long visitedAt = System.nanoTime();
        // put(key, null) deletes (a tombstone in the store and its changelog) without the read of the old value that
        // delete() makes to return it: deletes were 65-86% of the sweep's time (docs/benchmarks.md, "The ledger sweep at each task's turn")
        expired.forEach(key -> entries.put(key, null));
        long deletedAt = System.nanoTime();
        long idleBefore = QuotaLedger.bucketOf(streamTime - QUOTA_KEEP_MS);
        quotas.values().removeIf(ledger -> ledger.newestBucket() < idleBefore);
        // the stream thread decides nothing meanwhile: with 900,000 entries the six tasks' slices of one minute took half a
        // second when they ran back to back (docs/benchmarks.md, "The soak's slow minutes"), hence the turns
        if (log.isDebugEnabled()) {
            long ended = System.nanoTime();
            log.debug("ledger sweep: visited {} of about {} entries, deleted {}, in {} us (visits {} us, deletes {} us)", visited, size,
                    expired.size(), (ended - started) / 1000, (visitedAt - started) / 1000, (deletedAt - visitedAt) / 1000);
        }
    }
}
