package io.edgestop.devtools.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.topics.Topics;

/** The audit commands' lines and summaries, the field diff and what counts as unverifiable rather than different. */
class AuditFormatTest {

    private static final Instant T = Instant.parse("2026-12-01T13:00:00.123Z");
    private static final Topics TOPICS = Topics.withDefaultPrefix();

    static AuditRecord.Builder decision(String requestId, Outcome outcome, String code, String verdict) {
        return AuditRecord.newBuilder().setAuditId(requestId + ":DECISION").setEventType(AuditEventType.DECISION)
                .setRequestId(requestId).setAccountId("1000000000000001").setOutcome(outcome).setCode(code)
                .setHttpStatus(code == null ? 200 : 403).setEventTime(T).setPolicyVerdict(verdict)
                .setCommand(StopCommand.newBuilder().setRequestId(requestId).setAccountId("1000000000000001")
                        .setPrincipal("acs:ram::1000000000000001:user/live-ops").setClusterId("edge-a").setJobId("job-1")
                        .setRequestTime(T).build());
    }

    @Test
    void aChangeIsOneLineWithRequestJobPrincipalBeforeAfterAndStatements() {
        AuditWhatIf.Change c = new AuditWhatIf.Change(decision("R1", Outcome.ACCEPTED, null, "Allow by Ops#0").build(),
                decision("R1", Outcome.REJECTED, "Forbidden", "Deny by NoStops#1").build());
        assertEquals("CHANGE 2026-12-01T13:00:00.123Z request=R1 job=edge-a/job-1 principal=acs:ram::1000000000000001:user/live-ops"
                + " before=ACCEPTED after=REJECTED/Forbidden statement=\"Deny by NoStops#1\" was=\"Allow by Ops#0\"",
                AuditFormat.change(c));
        AuditWhatIf.Change notReached = new AuditWhatIf.Change(decision("R2", Outcome.ACCEPTED, null, "root principal").build(),
                decision("R2", Outcome.REJECTED, "OperationDenied", null).build());
        assertTrue(AuditFormat.change(notReached).endsWith("after=REJECTED/OperationDenied statement=\"(not reached)\" was=\"root principal\""),
                AuditFormat.change(notReached));
    }

    @Test
    void theWhatIfSummaryCountsChangesByKind() {
        AuditRecord accepted = decision("R1", Outcome.ACCEPTED, null, "Allow by Ops#0").build();
        AuditRecord forbidden = decision("R1", Outcome.REJECTED, "Forbidden", "Deny by X#0").build();
        var report = new AuditWhatIf.Report(20, 180, 9, List.of(new AuditWhatIf.Change(accepted, forbidden),
                new AuditWhatIf.Change(accepted, forbidden), new AuditWhatIf.Change(forbidden, accepted)), 1, 2, 0.5);
        List<String> lines = AuditFormat.whatIfSummary(report, new Window(T, null));
        assertEquals(List.of(
                "summary: 9 decisions re-evaluated (2026-12-01T13:00:00.123Z .. the end), 3 would change, 6 unchanged, 1 not re-evaluated"
                        + " (command no longer on stop-commands)",
                "  2 ACCEPTED -> REJECTED/Forbidden",
                "  1 REJECTED/Forbidden -> ACCEPTED",
                "note: 2 re-evaluated decisions come out differently from the recorded ones even unchanged (before= is the"
                        + " re-evaluation): run edge-stop audit verify",
                "read: 20 audit records, 180 input records read (replayed twice), in 0.50 s (400 records/s)"), lines);
    }

    @Test
    void theFieldDiffNamesEveryDifferingField() {
        AuditRecord a = decision("R1", Outcome.ACCEPTED, null, "Allow by Ops#0").setQuotaCount(1).build();
        AuditRecord b = decision("R1", Outcome.REJECTED, "Throttling.User", "Allow by Ops#0").setQuotaCount(7).setHttpStatus(429).build();
        assertEquals(List.of("outcome", "code", "httpStatus", "quotaCount"), AuditVerify.differingFields(a, b));
        assertEquals(List.of(), AuditVerify.differingFields(a, AuditRecord.newBuilder(a).build()));
    }

    @Test
    void aDifferenceShowsBothRecordsAsJson() {
        AuditRecord a = decision("R1", Outcome.ACCEPTED, null, null).build();
        AuditRecord b = decision("R1", Outcome.REJECTED, "Forbidden", null).build();
        List<String> lines = AuditFormat.difference(new AuditVerify.Difference("R1:DECISION", a, b, List.of("outcome", "code", "httpStatus")));
        assertEquals("DIFFERENCE R1:DECISION fields=outcome,code,httpStatus", lines.get(0));
        assertTrue(lines.get(1).startsWith("  recorded: {\"auditId\":\"R1:DECISION\"") && lines.get(1).contains("\"outcome\":\"ACCEPTED\""), lines.get(1));
        assertTrue(lines.get(2).contains("\"outcome\":\"REJECTED\",\"code\":\"Forbidden\""), lines.get(2));
        assertEquals("DIFFERENCE R1:DECISION only on the audit stream (not decided by the replay)",
                AuditFormat.difference(new AuditVerify.Difference("R1:DECISION", a, null, List.of())).get(0));
        assertEquals("DIFFERENCE R1:DECISION only in the replay (not on the audit stream)",
                AuditFormat.difference(new AuditVerify.Difference("R1:DECISION", null, b, List.of())).get(0));
    }

    @Test
    void whatTheRetainedInputsCannotReproduceIsUnverifiableAndWhatFollowsFromIt() {
        InputRevisions revisions = new InputRevisions(TOPICS); // nothing retained
        AuditRecord compacted = decision("R1", Outcome.ACCEPTED, null, null).setSettingsRevision(3L).build();
        AuditRecord completed = AuditRecord.newBuilder().setAuditId("R1:COMPLETED").setEventType(AuditEventType.COMPLETED)
                .setRequestId("R1").setAccountId("1000000000000001").setOutcome(Outcome.COMPLETED).setEventTime(T).build();
        AuditRecord joined = decision("R2", Outcome.ACCEPTED, null, null).setJoinedRequestId("R1").build();
        AuditRecord edge = decision("R3", Outcome.REJECTED, "ServiceUnavailable.EdgeCluster", null).build();
        AuditRecord later = decision("R4", Outcome.ACCEPTED, null, null).setEventTime(T.plusSeconds(60)).build();
        AuditRecord real = decision("R5", Outcome.ACCEPTED, null, null).build();
        List<AuditVerify.Difference> differences = List.of(
                new AuditVerify.Difference("R1:DECISION", compacted, null, List.of()),
                new AuditVerify.Difference("R1:COMPLETED", completed, null, List.of()),
                new AuditVerify.Difference("R2:DECISION", joined, null, List.of()),
                new AuditVerify.Difference("R3:DECISION", edge, decision("R3", Outcome.ACCEPTED, null, null).build(), List.of("outcome")),
                new AuditVerify.Difference("R4:DECISION", null, later, List.of()),
                new AuditVerify.Difference("R5:DECISION", real, null, List.of()));
        List<AuditVerify.Unverifiable> unverifiable = new ArrayList<>();
        List<AuditVerify.Difference> left = AuditVerify.classify(differences, revisions, AuditVerify.Expiry.NONE,
                Map.of("1000000000000001", T.toEpochMilli()), unverifiable);
        assertEquals(List.of("R5:DECISION"), left.stream().map(AuditVerify.Difference::auditId).toList());
        assertEquals(List.of("R1:DECISION COMPACTED account-settings revision 3 of account 1000000000000001",
                        "R3:DECISION DIRECTIVE_TOPIC ServiceUnavailable.EdgeCluster",
                        "R4:DECISION NOT_RECORDED_YET newest recorded for the account: 2026-12-01T13:00:00.123Z",
                        "R1:COMPLETED FOLLOWS request R1",
                        "R2:DECISION FOLLOWS request R1"),
                unverifiable.stream().map(u -> u.difference().auditId() + " " + u.cause() + " " + u.detail()).toList());
    }

    @Test
    void afterRetentionDeletedInputsOnlyANonceWindowLaterIsVerifiable() {
        long first = T.toEpochMilli();
        String account = "1000000000000001";
        int partition = org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(account.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 3;
        var truncated = List.of(new RecordedInputs.Start(new TopicPartition(TOPICS.stopCommands(), partition), 17, first),
                new RecordedInputs.Start(new TopicPartition(TOPICS.accountSettings(), 0), 3, first + 99_000_000));
        assertEquals(first + 900_000, AuditVerify.expiry(truncated, 3, TOPICS, Map.of()).verifiableFrom(account),
                "compacted topics do not count");
        assertEquals(first + 60_000, AuditVerify.expiry(truncated, 3, TOPICS, Map.of("nonce.window.ms", "60000")).verifiableFrom(account));
        String elsewhere = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "20000000000000" + i)
                .filter(a -> org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        a.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 3 != partition).findFirst().orElseThrow();
        assertEquals(Long.MIN_VALUE, AuditVerify.expiry(truncated, 3, TOPICS, Map.of()).verifiableFrom(elsewhere),
                "another partition's accounts keep their commands");
        assertEquals(Long.MIN_VALUE, AuditVerify.expiry(List.of(), 3, TOPICS, Map.of()).verifiableFrom(account));
        var reports = List.of(new RecordedInputs.Start(new TopicPartition(TOPICS.verifiedReports(), 1), 5, first));
        assertEquals(first + 900_000, AuditVerify.expiry(reports, 3, TOPICS, Map.of()).verifiableFrom("any"), "reports count for all");

        // every command of the partition deleted (retention on a quiet deployment): nothing of its accounts is verifiable
        var emptied = List.of(new RecordedInputs.Start(new TopicPartition(TOPICS.stopCommands(), partition), 8,
                RecordedInputs.NOTHING_RETAINED));
        AuditVerify.Expiry expiry = AuditVerify.expiry(emptied, 3, TOPICS, Map.of());
        assertEquals(Long.MAX_VALUE, expiry.verifiableFrom(account));

        List<AuditVerify.Unverifiable> unverifiable = new ArrayList<>();
        AuditRecord old = decision("R1", Outcome.ACCEPTED, null, null).build();
        assertTrue(AuditVerify.classify(List.of(new AuditVerify.Difference("R1:DECISION", old, null, List.of())),
                new InputRevisions(TOPICS), expiry, Map.of(), unverifiable).isEmpty());
        assertEquals(AuditVerify.Cause.INPUTS_EXPIRED, unverifiable.get(0).cause());
        assertEquals("no command of the account is retained", unverifiable.get(0).detail());
    }

    @Test
    void aDecisionBeforeTheRetainedWindowOfItsAuditPartitionIsUnverifiableNotMissing() {
        String account = "1000000000000001";
        int partition = org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(account.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 3;
        // the account's audit partition is read from a later offset, its first retained record decided at T
        AuditVerify.Expiry window = AuditVerify.expiry(List.of(), 3, TOPICS, Map.of()).withAuditWindow(Map.of(partition, T.toEpochMilli()), 3);
        AuditRecord before = decision("R1", Outcome.ACCEPTED, null, null).setEventTime(T.minusSeconds(1)).build();
        AuditRecord after = decision("R2", Outcome.ACCEPTED, null, null).setEventTime(T.plusSeconds(1)).build();
        List<AuditVerify.Unverifiable> unverifiable = new ArrayList<>();
        List<AuditVerify.Difference> left = AuditVerify.classify(List.of(
                        new AuditVerify.Difference("R1:DECISION", null, before, List.of()),
                        new AuditVerify.Difference("R2:DECISION", null, after, List.of())),
                new InputRevisions(TOPICS), window, Map.of(account, T.plusSeconds(5).toEpochMilli()), unverifiable);
        assertEquals(List.of("R2:DECISION"), left.stream().map(AuditVerify.Difference::auditId).toList(), "after it: deleted");
        assertEquals(AuditVerify.Cause.AUDIT_WINDOW, unverifiable.get(0).cause());
        assertEquals("its audit partition is retained from " + T, unverifiable.get(0).detail());
        // a partition read from offset 0 keeps everything: missing is missing
        assertEquals(2, AuditVerify.classify(List.of(new AuditVerify.Difference("R1:DECISION", null, before, List.of()),
                        new AuditVerify.Difference("R2:DECISION", null, after, List.of())), new InputRevisions(TOPICS),
                AuditVerify.expiry(List.of(), 3, TOPICS, Map.of()).withAuditWindow(Map.of(), 3),
                Map.of(account, T.plusSeconds(5).toEpochMilli()), new ArrayList<>()).size());
    }

    @Test
    void aFollowUpOfAVerifiedDecisionDependsOnWhenTheReportArrivedLive() {
        // live: the report timestamped before the deadline reached the task after stream time passed it: redelivered first
        AuditRecord live = AuditRecord.newBuilder().setAuditId("R1:COMPLETED").setEventType(AuditEventType.COMPLETED)
                .setRequestId("R1").setAccountId("1000000000000001").setOutcome(Outcome.COMPLETED).setEventTime(T)
                .setDirectiveId("R1#2").setAttempt(2).build();
        AuditRecord replayed = AuditRecord.newBuilder(live).setDirectiveId("R1#1").setAttempt(1).build();
        AuditRecord redelivered = AuditRecord.newBuilder(live).setAuditId("R1:DIRECTIVE_REDELIVERED:2")
                .setEventType(AuditEventType.DIRECTIVE_REDELIVERED).setOutcome(Outcome.ACCEPTED).build();
        // but a follow-up of a decision that differs is a difference like the decision
        AuditRecord decided = decision("R2", Outcome.ACCEPTED, null, null).build();
        AuditRecord followUp = AuditRecord.newBuilder(live).setAuditId("R2:COMPLETED").setRequestId("R2").build();
        List<AuditVerify.Unverifiable> unverifiable = new ArrayList<>();
        List<AuditVerify.Difference> left = AuditVerify.classify(List.of(
                        new AuditVerify.Difference("R1:COMPLETED", live, replayed, List.of("directiveId", "attempt")),
                        new AuditVerify.Difference("R1:DIRECTIVE_REDELIVERED:2", redelivered, null, List.of()),
                        new AuditVerify.Difference("R2:DECISION", decided, null, List.of()),
                        new AuditVerify.Difference("R2:COMPLETED", followUp, null, List.of())),
                new InputRevisions(TOPICS), AuditVerify.Expiry.NONE, Map.of("1000000000000001", T.toEpochMilli()), unverifiable);
        assertEquals(List.of("R2:DECISION", "R2:COMPLETED"), left.stream().map(AuditVerify.Difference::auditId).toList());
        assertEquals(List.of(AuditVerify.Cause.REPORT_ORDER, AuditVerify.Cause.REPORT_ORDER),
                unverifiable.stream().map(AuditVerify.Unverifiable::cause).toList());
    }

    @Test
    void aRecordWrittenTwiceIsAlwaysADifference() {
        AuditRecord r = decision("R1", Outcome.ACCEPTED, null, null).build();
        List<AuditVerify.Unverifiable> unverifiable = new ArrayList<>();
        assertEquals(1, AuditVerify.classify(List.of(new AuditVerify.Difference("R1:DECISION", r, null, List.of("recorded twice"))),
                new InputRevisions(TOPICS), new AuditVerify.Expiry(T.toEpochMilli() + 1, Map.of(), 0, Map.of(), 0), Map.of(), unverifiable).size());
        assertTrue(unverifiable.isEmpty());
    }

    @Test
    void theVerifySummarySaysOkOrFailedAndCountsUnverifiableByCause() {
        AuditRecord r = decision("R1", Outcome.ACCEPTED, null, null).build();
        var d = new AuditVerify.Difference("R1:DECISION", r, null, List.of());
        var ok = new AuditVerify.Report(10, 90, 10, 10, List.of(),
                List.of(new AuditVerify.Unverifiable(d, AuditVerify.Cause.NOT_RECORDED_YET, "x")), 0, 1.0, new ChainCheck(Map.of()));
        assertEquals(List.of("summary: 10 audit records compared (the beginning .. the end), 10 identical, 0 differences, 1 unverifiable",
                "  1 unverifiable: " + AuditVerify.Cause.NOT_RECORDED_YET.text,
                "chains: 0 records on 0 chains, 0 breaks, 0 from before the chain existed",
                "checkpoints: 0 read, signatures not checked (give --checkpoint-key FILE, the deployment's published key)",
                "read: 10 audit records, 90 input records read, in 1.00 s (100 records/s)",
                "OK: the chains hold and every recorded decision is what the current code decides"), AuditFormat.verifySummary(ok, Window.ALL));
        var failed = new AuditVerify.Report(10, 90, 9, 8, List.of(d, d), List.of(), 1, 1.0, new ChainCheck(Map.of()));
        List<String> lines = AuditFormat.verifySummary(failed, Window.ALL);
        assertTrue(lines.get(0).endsWith("8 identical, 2 differences, 0 unverifiable, 1 undecodable audit records skipped"), lines.get(0));
        assertEquals("FAILED: 2 recorded audit records differ from what the current code decides", lines.get(lines.size() - 1));
    }

    @Test
    void theProgressBarShowsShareCountAndRate() {
        assertEquals("[###############...............]  50%  500/1,000 records  2,500 records/s", Progress.bar(500, 1000, 2500));
        assertEquals("[##############################] 100%  1,003/1,000 records  0 records/s", Progress.bar(1003, 1000, 0),
                "the total is an upper bound");
    }

    @Test
    void theWindowIsInclusiveAndChecked() {
        Window w = new Window(T, T.plusSeconds(1));
        assertTrue(w.contains(T) && w.contains(T.plusSeconds(1)));
        assertTrue(!w.contains(T.minusMillis(1)) && !w.contains(T.plusMillis(1001)));
        assertNull(Window.ALL.from());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Window(T, T.minusSeconds(1)));
    }
}
