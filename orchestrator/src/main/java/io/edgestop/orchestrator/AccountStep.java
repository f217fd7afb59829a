package io.edgestop.orchestrator;

import java.time.Duration;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.edgestop.orchestrator.quota.QuotaLedger;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.StopCommand;
import io.edgestop.topics.JobKey;

/**
 * The account-level steps of a decision, on the command stream keyed by accountId: signature
 * nonce reuse (0), missing parameters (1) and the per-account quota (2). A command that passes
 * goes on as {@link Emit.Checked}, keyed by clusterId/jobId; a rejected one yields its result
 * and audit record here.
 */
final class AccountStep implements Processor<String, AccountStep.AccountView, String, Emit> {

    static final String QUOTA_STORE = "quota-ledgers";

    /** A command with the account's settings and policies as of its timestamp (from the versioned table joins). */
    record AccountView(StopCommand command, AccountSettings settings, AccountPolicies policies) {
    }

    private final long nonceWindowMs;
    private final int defaultQuota;
    private ProcessorContext<String, Emit> context;
    private NonceLedger nonces;
    private KeyValueStore<String, byte[]> ledgers;

    AccountStep(long nonceWindowMs, int defaultQuota) {
        this.nonceWindowMs = nonceWindowMs;
        this.defaultQuota = defaultQuota;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        this.nonces = new NonceLedger(context.getStateStore(NonceLedger.NONCE_STORE),
                context.getStateStore(NonceLedger.NONCE_INDEX_STORE), nonceWindowMs);
        long sweep = Math.max(1000, Math.min(60_000, nonceWindowMs / 10));
        context.schedule(Duration.ofMillis(sweep), PunctuationType.STREAM_TIME, nonces::expire);
        this.ledgers = context.getStateStore(QUOTA_STORE);
    }

    @Override
    public void process(Record<String, AccountView> record) {
        AccountView view = record.value();
        if (view == null || view.command() == null) {
            return; // a tombstone on the command topic means nothing
        }
        StopCommand c = view.command();
        long ts = record.timestamp();

        if (c.getSignatureNonce() != null && nonceSeen(c, ts)) {
            reject(view, Rejection.nonceUsed(), ts, null, null);
            return;
        }
        String missing = CommandCheck.firstMissing(c);
        if (missing != null) {
            reject(view, Rejection.missingParameter(missing), ts, null, null);
            return;
        }
        AccountSettings settings = view.settings();
        int limit = settings != null && settings.getStopCallsPerMinute() != null
                ? settings.getStopCallsPerMinute() : defaultQuota;
        QuotaLedger ledger = QuotaLedger.fromBytes(ledgers.get(c.getAccountId()));
        QuotaLedger.Decision quota = ledger.tryAcquire(ts, limit);
        if (!quota.accepted()) {
            reject(view, Rejection.throttled(), ts, quota.count(), limit);
            return;
        }
        ledgers.put(c.getAccountId(), ledger.toBytes());
        CheckedCommand checked = new CheckedCommand(c, settings, CheckedCommand.forPrincipal(view.policies(), c.getPrincipal()),
                quota.count(), limit);
        context.forward(new Record<>(JobKey.of(c.getClusterId(), c.getJobId()), new Emit.Checked(checked), ts));
    }

    /** Step 0: has this AccessKeyId used this nonce within the window (event time)? Records it when not. */
    private boolean nonceSeen(StopCommand c, long ts) {
        return nonces.usedBefore(NonceLedger.key(c.getAccessKeyId(), c.getSignatureNonce()), ts);
    }

    private void reject(AccountView view, Rejection rejection, long ts, Integer quotaCount, Integer quotaLimit) {
        StopCommand c = view.command();
        context.forward(new Record<>(Outcomes.nz(c.getRequestId()),
                new Emit.Result(Outcomes.decisionResult(c, rejection, ts, null)), ts));
        AuditRecord audit = Outcomes.decisionAudit(c, rejection, ts, view.settings(), view.policies())
                .setQuotaCount(quotaCount)
                .setQuotaLimit(quotaLimit)
                .build();
        context.forward(new Record<>(c.getAccountId(), new Emit.Audit(audit), ts));
    }
}
