package io.edgestop.devtools.audit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;

/** The text the audit commands print: one line per finding, then a summary. */
public final class AuditFormat {

    private AuditFormat() {
    }

    /** {@code ACCEPTED}, or {@code REJECTED/Forbidden}. */
    static String decision(AuditRecord r) {
        return r.getOutcome() == Outcome.REJECTED && r.getCode() != null ? r.getOutcome() + "/" + r.getCode() : r.getOutcome().toString();
    }

    static String statement(AuditRecord r) {
        return r.getPolicyVerdict() == null ? "(not reached)" : r.getPolicyVerdict();
    }

    /**
     * {@code CHANGE <eventTime> request=<id> job=<cluster>/<job> principal=<arn> before=<decision> after=<decision>
     * statement="<deciding statement after>" was="<before>"}.
     */
    public static String change(AuditWhatIf.Change c) {
        AuditRecord b = c.before();
        StopCommand cmd = b.getCommand();
        return "CHANGE " + b.getEventTime()
                + " request=" + b.getRequestId()
                + " job=" + (cmd == null ? "?" : cmd.getClusterId() + "/" + cmd.getJobId())
                + " principal=" + (cmd == null ? "?" : cmd.getPrincipal())
                + " before=" + decision(b)
                + " after=" + decision(c.after())
                + " statement=\"" + statement(c.after()) + "\""
                + " was=\"" + statement(b) + "\"";
    }

    public static List<String> whatIfSummary(AuditWhatIf.Report r, Window window) {
        Map<String, Integer> byKind = new TreeMap<>();
        r.changes().forEach(c -> byKind.merge(decision(c.before()) + " -> " + decision(c.after()), 1, Integer::sum));
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format(Locale.ROOT, "summary: %d decisions re-evaluated (%s), %d would change, %d unchanged, %d not re-evaluated",
                r.reEvaluated(), window, r.changes().size(), r.reEvaluated() - r.changes().size(), r.notReEvaluated())
                + (r.notReEvaluated() > 0 ? " (command no longer on stop-commands)" : ""));
        byKind.forEach((kind, n) -> out.add("  " + n + " " + kind));
        if (r.baselineDiffers() > 0) {
            out.add("note: " + r.baselineDiffers() + " re-evaluated decisions come out differently from the recorded ones even"
                    + " unchanged (before= is the re-evaluation): run edge-stop audit verify");
        }
        out.add(throughput(r.auditRecords(), r.inputRecords(), r.seconds(), "input records read (replayed twice)"));
        return out;
    }

    /** {@code DIFFERENCE <auditId> fields=a,b} (or recorded only / not recorded), then the recorded and the replayed record as JSON. */
    public static List<String> difference(AuditVerify.Difference d) {
        String what = d.recorded() == null ? "only in the replay (not on the audit stream)"
                : d.replayed() == null ? (d.fields().isEmpty() ? "only on the audit stream (not decided by the replay)" : String.join(",", d.fields()))
                : "fields=" + String.join(",", d.fields());
        return List.of("DIFFERENCE " + d.auditId() + " " + what,
                "  recorded: " + (d.recorded() == null ? "-" : AvroJson.toJson(d.recorded())),
                "  replayed: " + (d.replayed() == null ? "-" : AvroJson.toJson(d.replayed())));
    }

    public static String unverifiable(AuditVerify.Unverifiable u) {
        return "UNVERIFIABLE " + u.difference().auditId() + " " + u.cause().text + ": " + u.detail();
    }

    public static List<String> verifySummary(AuditVerify.Report r, Window window) {
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format(Locale.ROOT, "summary: %d audit records compared (%s), %d identical, %d differences, %d unverifiable",
                r.compared(), window, r.identical(), r.differences().size(), r.unverifiable().size())
                + (r.undecodable() > 0 ? ", " + r.undecodable() + " undecodable audit records skipped" : ""));
        Map<AuditVerify.Cause, Integer> causes = new TreeMap<>();
        r.unverifiable().forEach(u -> causes.merge(u.cause(), 1, Integer::sum));
        causes.forEach((cause, n) -> out.add("  " + n + " unverifiable: " + cause.text));
        ChainCheck c = r.chains();
        out.add(String.format(Locale.ROOT, "chains: %d records on %d chains, %d breaks, %d from before the chain existed",
                c.linked(), c.heads().size(), c.breaks().size(), c.preChain()));
        c.heads().forEach(h -> {
            ChainCheck.Checkpoint last = c.confirmed().get(h.chain());
            long signed = last == null ? 0 : last.value().getSequence();
            out.add(String.format(Locale.ROOT, "  partition %d chain %d: head position %d at offset %d, %s",
                    h.partition(), h.chain(), h.sequence(), h.offset(), last == null ? "no checkpoint yet"
                            : "last checkpoint at position " + signed + " (" + last.value().getEventTime() + ")"
                            + (h.sequence() > signed ? ", " + (h.sequence() - signed) + " records after it not signed yet" : "")));
        });
        c.anchors().values().forEach(a -> out.add(String.format(Locale.ROOT, "  chain %d started from the checkpoint at position %d (%s)%s",
                a.getChain(), a.getSequence(), a.getEventTime(), c.heads().stream().anyMatch(h -> h.chain() == a.getChain())
                        ? "" : ": no record at or after it read")));
        if (!c.anchors().isEmpty()) {
            out.add("  " + c.beforeAnchors() + " records before the checkpoints started from: not checked again");
        }
        out.add(c.keysGiven() == 0 ? String.format(Locale.ROOT, "checkpoints: %d read, signatures not checked (give"
                + " --checkpoint-key FILE, the deployment's published key)", c.checkpointCount())
                : String.format(Locale.ROOT, "checkpoints: %d with valid signatures", c.checkpointCount()));
        out.add(throughput(r.auditRecords(), r.inputRecords(), r.seconds(), "input records read"));
        if (!c.breaks().isEmpty()) {
            out.add("FAILED: the audit stream was altered: " + c.breaks().size() + " chain breaks"
                    + (r.differences().isEmpty() ? "" : ", and " + r.differences().size()
                    + " recorded audit records differ from what the current code decides"));
        } else {
            out.add(r.differences().isEmpty() ? "OK: the chains hold and every recorded decision is what the current code decides"
                    : "FAILED: " + r.differences().size() + " recorded audit records differ from what the current code decides");
        }
        return out;
    }

    /** {@code BREAK partition=P offset=O auditId=A check=C: detail (what the check means)} */
    public static String chainBreak(ChainCheck.Break b) {
        return "BREAK partition=" + b.partition() + " offset=" + b.offset() + " auditId=" + b.auditId() + " check="
                + b.check() + ": " + b.detail() + " (" + b.check().text + ")";
    }

    static String throughput(long audit, long inputs, double seconds, String inputsWord) {
        return String.format(Locale.ROOT, "read: %,d audit records, %,d %s, in %.2f s (%,.0f records/s)",
                audit, inputs, inputsWord, seconds, seconds <= 0 ? 0 : (audit + inputs) / seconds);
    }
}
