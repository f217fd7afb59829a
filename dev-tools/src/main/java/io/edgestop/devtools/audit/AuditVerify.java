package io.edgestop.devtools.audit;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.kafka.common.utils.Utils;

import io.edgestop.api.ApiError;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.StopCommand;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * {@code edge-stop audit verify}: replays the recorded inputs through the orchestrator's topology
 * ({@link ReplayWorld}) and compares every audit record it writes, field by field, with the one
 * recorded under the same auditId. What the retained inputs cannot reproduce is reported as
 * unverifiable, with the reason, not as a difference.
 */
public final class AuditVerify {

    /**
     * @param client               Kafka client properties of the reading consumers
     * @param orchestratorSettings the deciding settings of the orchestrator that wrote the audit (quota, deadlines, ...)
     * @param window               the event times to compare (the replay always starts at the first retained input)
     * @param progress             where the progress bar goes, or null
     * @param checkpointKeys       the deployment's published checkpoint keys (none: signatures not checked)
     * @param from                 the checkpoints the auditor trusts, to start the chains from (none: each from its first record)
     */
    public record Options(Properties client, Topics topics, Map<String, String> orchestratorSettings, Window window,
                          PrintWriter progress, List<PublicKey> checkpointKeys, Anchors.Given from) {
    }

    /** A recorded audit record the replay wrote differently ({@code fields}), did not write ({@code replayed} null) or wrote unrecorded ({@code recorded} null). */
    public record Difference(String auditId, AuditRecord recorded, AuditRecord replayed, List<String> fields) {

        String requestId() {
            return recorded != null ? recorded.getRequestId() : replayed.getRequestId();
        }

        AuditRecord any() {
            return recorded != null ? recorded : replayed;
        }
    }

    /** Why a difference is not one: what the retained inputs cannot reproduce. */
    public enum Cause {
        NOT_RECORDED_YET("not recorded yet: the orchestrator had not written it when the audit stream was read"),
        INPUTS_EXPIRED("its inputs are no longer retained (stop-commands / verified-reports / stream-time-ticks retention)"),
        AUDIT_WINDOW("decided before the first retained record of its audit partition (the records before it were deleted)"),
        COMPACTED("a settings, policies or job-state revision it saw is no longer retained (compacted topic)"),
        DIRECTIVE_TOPIC("it depended on whether the cluster's directive topic could be written, which is not recorded"),
        REPORT_ORDER("a follow-up of a verified decision whose timing depends on when the worker's report reached the"
                + " account's task (through the job-events repartition topic, whose order is not retained)"),
        FOLLOWS("it follows from an unverifiable decision");

        public final String text;

        Cause(String text) {
            this.text = text;
        }
    }

    /** A difference the retained inputs explain: the cause and the detail. */
    public record Unverifiable(Difference difference, Cause cause, String detail) {
    }

    public record Report(long auditRecords, long inputRecords, long compared, long identical, List<Difference> differences,
                         List<Unverifiable> unverifiable, long undecodable, double seconds, ChainCheck chains) {

        /** True when the chains hold and every recorded decision is what the current code decides. */
        public boolean ok() {
            return differences.isEmpty() && chains.breaks().isEmpty();
        }

        public double recordsPerSecond() {
            return seconds <= 0 ? 0 : (auditRecords + inputRecords) / seconds;
        }
    }

    private AuditVerify() {
    }

    public static Report run(Options o) {
        try (AuditReader audit = AuditReader.open(o.client(), o.topics());
             ReplayWorld world = new ReplayWorld(o.orchestratorSettings());
             // after the audit's end: every recorded decision's inputs are in
             RecordedInputs inputs = RecordedInputs.open(o.client(), o.topics(), world.asyncProducers())) {
            Progress progress = new Progress(o.progress(), audit.total() + inputs.total());
            Map<String, AuditRecord> recorded = new LinkedHashMap<>();
            Map<String, Long> newestByAccount = new HashMap<>();
            List<Difference> differences = new ArrayList<>();
            long[] undecodable = {0};
            ChainCheck chains = new ChainCheck(audit.beginning());
            List<ChainCheck.Checkpoint> checkpoints = AuditReader.checkpoints(o.client(), o.topics());
            chains.anchor(Anchors.resolve(o.from(), checkpoints, o.checkpointKeys()));
            chains.checkpoints(checkpoints, o.checkpointKeys());
            Map<Integer, Long> firstEventTime = new HashMap<>();
            audit.forEach(e -> {
                progress.step();
                chains.accept(e);
                AuditRecord r = e.record();
                if (r == null) {
                    undecodable[0]++;
                    return;
                }
                firstEventTime.putIfAbsent(e.partition(), r.getEventTime().toEpochMilli());
                newestByAccount.merge(Objects.toString(r.getAccountId(), ""), r.getEventTime().toEpochMilli(), Math::max);
                if (o.window().contains(r.getEventTime()) && recorded.putIfAbsent(r.getAuditId(), r) != null) {
                    differences.add(new Difference(r.getAuditId(), r, null, List.of("recorded twice")));
                }
            });
            chains.finish();
            long auditRead = progress.done();
            InputRevisions revisions = new InputRevisions(o.topics());
            long[] compared = {0};
            inputs.forEach(progress::step, in -> {
                revisions.observe(in);
                world.pipe(in);
                for (AuditRecord replayed : world.audit()) {
                    if (!o.window().contains(replayed.getEventTime())) {
                        continue;
                    }
                    AuditRecord r = recorded.remove(replayed.getAuditId());
                    if (r == null) {
                        differences.add(new Difference(replayed.getAuditId(), null, replayed, List.of()));
                        continue;
                    }
                    compared[0]++;
                    List<String> fields = differingFields(r, replayed);
                    if (!fields.isEmpty()) {
                        differences.add(new Difference(r.getAuditId(), r, replayed, fields));
                    }
                }
            });
            recorded.values().forEach(r -> differences.add(new Difference(r.getAuditId(), r, null, List.of())));
            progress.finish();
            Expiry expiry = expiry(inputs.truncated(), inputs.partitions(o.topics().stopCommands()), o.topics(),
                    o.orchestratorSettings()).withAuditWindow(auditWindow(audit.beginning(), firstEventTime),
                    audit.beginning().size());
            List<Unverifiable> unverifiable = new ArrayList<>();
            List<Difference> real = classify(differences, revisions, expiry, newestByAccount, unverifiable);
            long mismatched = differences.stream().filter(d -> d.recorded() != null && d.replayed() != null).count();
            return new Report(auditRead, progress.done() - auditRead, compared[0], compared[0] - mismatched, real, unverifiable,
                    undecodable[0], progress.seconds(), chains);
        }
    }

    /**
     * The hash chain's fields, checked by {@link ChainCheck}, not re-decided: the replay runs every
     * account in one task, so one chain, where live each task has its own.
     */
    private static final Set<String> CHAIN_FIELDS = Set.of("chain", "chainSequence", "previousHash", "recordHash");

    /** Names of the fields whose values differ (the chain's left out). */
    static List<String> differingFields(AuditRecord recorded, AuditRecord replayed) {
        List<String> out = new ArrayList<>();
        for (Schema.Field f : AuditRecord.getClassSchema().getFields()) {
            if (!CHAIN_FIELDS.contains(f.name()) && !Objects.equals(recorded.get(f.pos()), replayed.get(f.pos()))) {
                out.add(f.name());
            }
        }
        return out;
    }

    /**
     * When records were deleted from the start of stop-commands, verified-reports or stream-time-ticks, the state a
     * replay builds (nonces, quota, stops in flight) is complete only a nonce window after the
     * latest first retained record. An account's commands are all on one stop-commands partition
     * (keyed by accountId, default partitioner), so that partition decides for its accounts; the
     * reports (keyed by job) count for every account. A partition whose every record was deleted
     * makes everything recorded of its accounts unverifiable.
     */
    record Expiry(long reportsFrom, Map<Integer, Long> commandsFrom, int commandPartitions, Map<Integer, Long> auditFrom,
                  int auditPartitions) {

        static final Expiry NONE = new Expiry(Long.MIN_VALUE, Map.of(), 0, Map.of(), 0);

        /** The first event time of {@code accountId} the retained inputs reproduce. */
        long verifiableFrom(String accountId) {
            if (commandPartitions == 0) {
                return reportsFrom;
            }
            return Math.max(reportsFrom, commandsFrom.getOrDefault(commandPartition(accountId), Long.MIN_VALUE));
        }

        /**
         * The event time up to which records of {@code accountId} may be missing from the audit stream
         * because its audit partition was read from a later offset than 0 (retention, a copy of a
         * window): the first retained record's (its chain, from an anchor or from that record, proves
         * nothing after it is missing). An account's records are on its chain's partition: its task's,
         * the stop-commands partition of its accountId.
         */
        long auditRetainedFrom(String accountId) {
            if (commandPartitions == 0 || auditPartitions == 0) {
                return Long.MIN_VALUE;
            }
            return auditFrom.getOrDefault(commandPartition(accountId) % auditPartitions, Long.MIN_VALUE);
        }

        private int commandPartition(String accountId) {
            return Utils.toPositive(Utils.murmur2(accountId.getBytes(StandardCharsets.UTF_8))) % commandPartitions;
        }

        Expiry withAuditWindow(Map<Integer, Long> from, int partitions) {
            return new Expiry(reportsFrom, commandsFrom, commandPartitions, from, partitions);
        }
    }

    /** The first retained event time of each audit partition read from above offset 0 (none retained: every time). */
    private static Map<Integer, Long> auditWindow(Map<Integer, Long> beginning, Map<Integer, Long> firstEventTime) {
        Map<Integer, Long> out = new HashMap<>();
        beginning.forEach((partition, offset) -> {
            if (offset > 0) {
                out.put(partition, firstEventTime.getOrDefault(partition, Long.MAX_VALUE));
            }
        });
        return out;
    }

    static Expiry expiry(List<RecordedInputs.Start> truncated, int commandPartitions, Topics topics, Map<String, String> settings) {
        long warmUp = Long.parseLong(settings.getOrDefault(io.edgestop.orchestrator.runtime.OrchestratorConfig.NONCE_WINDOW_MS, "900000"));
        long reports = Long.MIN_VALUE;
        Map<Integer, Long> commands = new HashMap<>();
        for (RecordedInputs.Start s : truncated) {
            long from = s.firstTimestamp() == RecordedInputs.NOTHING_RETAINED ? Long.MAX_VALUE : s.firstTimestamp() + warmUp;
            String t = s.partition().topic();
            if (t.equals(topics.stopCommands())) {
                commands.merge(s.partition().partition(), from, Math::max);
            } else if (t.equals(topics.verifiedReports()) || t.equals(topics.streamTimeTicks())) {
                reports = Math.max(reports, from);
            }
        }
        return new Expiry(reports, commands, commandPartitions, Map.of(), 0);
    }

    /** Splits the differences into those the retained inputs explain ({@code unverifiable}) and the real ones (returned). */
    static List<Difference> classify(List<Difference> differences, InputRevisions revisions, Expiry expiry,
                                     Map<String, Long> newestByAccount, List<Unverifiable> unverifiable) {
        List<Difference> rest = new ArrayList<>();
        Set<String> unverifiableRequests = new HashSet<>();
        for (Difference d : differences) {
            Unverifiable reason = reason(d, revisions, expiry, newestByAccount);
            if (reason != null) {
                unverifiable.add(reason);
                unverifiableRequests.add(d.requestId());
            } else {
                rest.add(d);
            }
        }
        Set<String> differingDecisions = new HashSet<>();
        for (Difference d : differences) {
            if (d.any().getEventType() == AuditEventType.DECISION) {
                differingDecisions.add(d.requestId());
            }
        }
        List<Difference> real = new ArrayList<>();
        for (Difference d : rest) { // what follows from an unverifiable decision cannot be verified either
            String cause = unverifiableRequests.contains(d.requestId()) ? d.requestId()
                    : d.any().getJoinedRequestId() != null && unverifiableRequests.contains(d.any().getJoinedRequestId().toString())
                    ? d.any().getJoinedRequestId().toString() : null;
            if (d.fields().contains("recorded twice")) {
                real.add(d);
            } else if (cause != null) {
                unverifiable.add(new Unverifiable(d, Cause.FOLLOWS, "request " + cause));
            } else if (d.any().getEventType() != AuditEventType.DECISION && !differingDecisions.contains(d.requestId())) {
                // live, a report timestamped before a deadline can reach the task after stream time passed it
                unverifiable.add(new Unverifiable(d, Cause.REPORT_ORDER, d.any().getEventType() + " of request " + d.requestId()));
            } else {
                real.add(d);
            }
        }
        return real;
    }

    private static Unverifiable reason(Difference d, InputRevisions revisions, Expiry expiry, Map<String, Long> newestByAccount) {
        if (d.fields().contains("recorded twice")) {
            return null;
        }
        AuditRecord r = d.recorded();
        if (r == null) {
            long retainedFrom = expiry.auditRetainedFrom(Objects.toString(d.replayed().getAccountId(), ""));
            if (d.replayed().getEventTime().toEpochMilli() <= retainedFrom) {
                return new Unverifiable(d, Cause.AUDIT_WINDOW, retainedFrom == Long.MAX_VALUE
                        ? "no record of its audit partition is retained" : "its audit partition is retained from "
                        + Instant.ofEpochMilli(retainedFrom));
            }
            long newest = newestByAccount.getOrDefault(Objects.toString(d.replayed().getAccountId(), ""), Long.MIN_VALUE);
            return d.replayed().getEventTime().toEpochMilli() > newest
                    ? new Unverifiable(d, Cause.NOT_RECORDED_YET, newest == Long.MIN_VALUE
                    ? "nothing recorded for the account" : "newest recorded for the account: " + Instant.ofEpochMilli(newest)) : null;
        }
        long verifiableFrom = expiry.verifiableFrom(Objects.toString(r.getAccountId(), ""));
        if (r.getEventTime().toEpochMilli() < verifiableFrom) {
            return new Unverifiable(d, Cause.INPUTS_EXPIRED, verifiableFrom == Long.MAX_VALUE
                    ? "no command of the account is retained" : "verifiable from " + Instant.ofEpochMilli(verifiableFrom));
        }
        if (ApiError.EDGE_CLUSTER_UNAVAILABLE.code().equals(r.getCode())) {
            return new Unverifiable(d, Cause.DIRECTIVE_TOPIC, r.getCode());
        }
        AuditRecord p = d.replayed();
        String account = Objects.toString(r.getAccountId(), "");
        if (r.getSettingsRevision() != null && (p == null || !r.getSettingsRevision().equals(p.getSettingsRevision()))
                && !revisions.hasSettings(account, r.getSettingsRevision())) {
            return new Unverifiable(d, Cause.COMPACTED, "account-settings revision " + r.getSettingsRevision() + " of account " + account);
        }
        if (r.getPoliciesRevision() != null && (p == null || !r.getPoliciesRevision().equals(p.getPoliciesRevision()))
                && !revisions.hasPolicies(account, r.getPoliciesRevision())) {
            return new Unverifiable(d, Cause.COMPACTED, "account-policies revision " + r.getPoliciesRevision() + " of account " + account);
        }
        StopCommand c = r.getCommand();
        if (c != null && r.getJobStateRevision() != null && (p == null || !r.getJobStateRevision().equals(p.getJobStateRevision()))) {
            String job = JobKey.of(c.getClusterId(), c.getJobId());
            if (!revisions.hasJob(job, r.getJobStateRevision())) {
                return new Unverifiable(d, Cause.COMPACTED, "job-state revision " + r.getJobStateRevision() + " of " + job);
            }
        }
        return null;
    }
}
