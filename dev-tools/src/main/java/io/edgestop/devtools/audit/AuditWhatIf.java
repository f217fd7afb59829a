package io.edgestop.devtools.audit;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * {@code edge-stop audit what-if}: the recorded inputs replayed twice through the orchestrator's
 * topology, as recorded (the baseline) and with some accounts' policies and/or settings replaced
 * from {@code --from} on, and the decisions of the commands recorded on the audit stream in the
 * window that come out differently. Comparing with the baseline rather than with the audit record
 * isolates the effect of the change: whatever the retained inputs cannot reproduce (see
 * {@link AuditVerify}) is the same in both replays. Nothing is written to Kafka.
 */
public final class AuditWhatIf {

    /** Accounts whose policies or settings are replaced (every principal's policies of an account at once). */
    public record Substitution(Map<String, AccountPolicies> policies, Map<String, AccountSettings> settings) {
        public Substitution {
            policies = Map.copyOf(policies);
            settings = Map.copyOf(settings);
        }
    }

    public record Options(Properties client, Topics topics, Map<String, String> orchestratorSettings, Window window,
                          Substitution substitution, PrintWriter progress) {
    }

    /** A decision that would change: the baseline's DECISION audit record and the one under the substitution. */
    public record Change(AuditRecord before, AuditRecord after) {
    }

    /**
     * @param reEvaluated     recorded decisions in the window decided in both replays
     * @param notReEvaluated  recorded decisions whose command is no longer retained on stop-commands
     * @param baselineDiffers re-evaluated decisions whose baseline outcome or code differs from the recorded one (see audit verify)
     */
    public record Report(long auditRecords, long inputRecords, long reEvaluated, List<Change> changes, long notReEvaluated,
                         long baselineDiffers, double seconds) {

        public double recordsPerSecond() {
            return seconds <= 0 ? 0 : (auditRecords + inputRecords) / seconds;
        }
    }

    private AuditWhatIf() {
    }

    public static Report run(Options o) {
        Topics topics = o.topics();
        try (AuditReader audit = AuditReader.open(o.client(), topics);
             ReplayWorld baseline = new ReplayWorld(o.orchestratorSettings());
             RecordedInputs inputs = RecordedInputs.open(o.client(), topics, baseline.asyncProducers());
             ReplayWorld changed = new ReplayWorld(o.orchestratorSettings())) {
            Progress progress = new Progress(o.progress(), audit.total() + inputs.total());
            Map<String, AuditRecord> recorded = new HashMap<>(); // requestId -> recorded DECISION in the window
            audit.forEach(e -> {
                progress.step();
                AuditRecord r = e.record();
                if (r != null && r.getEventType() == AuditEventType.DECISION && o.window().contains(r.getEventTime())) {
                    recorded.putIfAbsent(r.getRequestId(), r);
                }
            });
            long auditRead = progress.done();
            long substituteAt = o.window().from() == null ? 0 : o.window().from().toEpochMilli();
            boolean[] substituted = {false};
            Map<String, AuditRecord> before = new HashMap<>();
            Map<String, AuditRecord> after = new HashMap<>();
            List<Change> changes = new ArrayList<>();
            long[] counts = {0, 0}; // re-evaluated, baseline differs from recorded
            inputs.forEach(progress::step, in -> {
                baseline.pipe(in);
                if (!substituted[0] && in.timestamp() >= substituteAt) {
                    substitute(changed, topics, o.substitution(), substituteAt);
                    substituted[0] = true;
                }
                if (!(substituted[0] && in.timestamp() >= substituteAt && replaced(in, topics, o.substitution()))) {
                    changed.pipe(in);
                }
                collect(baseline, recorded, before);
                collect(changed, recorded, after);
                for (var it = before.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    AuditRecord a = after.remove(e.getKey());
                    if (a == null) {
                        continue;
                    }
                    it.remove();
                    AuditRecord b = e.getValue();
                    counts[0]++;
                    if (!sameDecision(b, recorded.get(e.getKey()))) {
                        counts[1]++;
                    }
                    if (!sameDecision(b, a)) {
                        changes.add(new Change(b, a));
                    }
                }
            });
            progress.finish();
            changes.sort(Comparator.comparing((Change c) -> c.before().getEventTime()).thenComparing(c -> c.before().getRequestId()));
            return new Report(auditRead, progress.done() - auditRead, counts[0], changes, recorded.size() - counts[0],
                    counts[1], progress.seconds());
        }
    }

    /** Outcome and code: what the caller was answered. */
    static boolean sameDecision(AuditRecord a, AuditRecord b) {
        return a.getOutcome() == b.getOutcome() && Objects.equals(a.getCode(), b.getCode());
    }

    private static void collect(ReplayWorld world, Map<String, AuditRecord> recorded, Map<String, AuditRecord> into) {
        for (AuditRecord r : world.audit()) {
            if (r.getEventType() == AuditEventType.DECISION && recorded.containsKey(r.getRequestId())) {
                into.putIfAbsent(r.getRequestId(), r);
            }
        }
    }

    /** The replacement versions, in force from {@code at}. */
    private static void substitute(ReplayWorld world, Topics topics, Substitution s, long at) {
        s.settings().forEach((account, value) -> world.pipe(topics.accountSettings(), account.getBytes(StandardCharsets.UTF_8),
                AvroSerdes.accountSettings().serialize(topics.accountSettings(), value), at, new RecordHeaders()));
        s.policies().forEach((account, value) -> world.pipe(topics.accountPolicies(), account.getBytes(StandardCharsets.UTF_8),
                AvroSerdes.accountPolicies().serialize(topics.accountPolicies(), value), at, new RecordHeaders()));
    }

    /** A recorded settings or policies version of a substituted account (dropped once the substitution is in force). */
    private static boolean replaced(RecordedInputs.Input in, Topics topics, Substitution s) {
        if (in.key() == null) {
            return false;
        }
        String key = new String(in.key(), StandardCharsets.UTF_8);
        return in.topic().equals(topics.accountSettings()) && s.settings().containsKey(key)
                || in.topic().equals(topics.accountPolicies()) && s.policies().containsKey(key);
    }
}
