package io.edgestop.devtools.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/** How the console folds the topics into stories, pending stops and counters. */
class ConsoleStateTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long DEADLINE_MS = 30_000;
    private final Topics topics = new Topics("t.");
    private final ConsoleState state = new ConsoleState(topics, DEADLINE_MS, 3,
            Clock.fixed(Instant.ofEpochMilli(T0 + 20_000), ZoneOffset.UTC));
    private long offset;

    @Test
    void aStopIsPendingUntilItTimesOutWithTheDeadlinesItsDirectivesCarry() {
        state.accept(audit(decision("r1", "job-1", "AK1", Outcome.ACCEPTED, null).setDirectiveId("r1#1").setAttempt(1), T0));
        assertEquals(T0 + DEADLINE_MS, deadline("r1"), "until its directive is read: issued at the decision, one deadline later");
        state.accept(directive("r1", 1, T0, T0 + 5_000));
        assertEquals(T0 + 5_000, deadline("r1"), "the directive's own deadline");

        state.accept(audit(followUp("r1", AuditEventType.DIRECTIVE_REDELIVERED, Outcome.ACCEPTED, 2), T0 + 5_000));
        JsonNode pending = state.overview(true, null).path("pending").path(0);
        assertEquals(2, pending.path("attempt").asInt());
        assertEquals(T0 + 5_000 + DEADLINE_MS, deadline("r1"));
        state.accept(directive("r1", 2, T0 + 5_000, T0 + 10_000));
        assertEquals(T0 + 10_000, deadline("r1"));

        state.accept(audit(followUp("r1", AuditEventType.TIMED_OUT, Outcome.TIMED_OUT, 2).setCode("StopTimedOut"), T0 + 10_000));
        JsonNode o = state.overview(true, null);
        assertEquals(0, o.path("pending").size());
        assertEquals(1, o.path("redeliveries").asInt());
        assertEquals(1, o.path("timeouts").asInt());
        assertEquals(List.of("TIMED_OUT", "DIRECTIVE_REDELIVERED"), texts(o.path("followUps"), "eventType"));
        JsonNode story = state.storyOf("r1");
        assertEquals("TIMED_OUT", story.path("outcome").asText());
        assertEquals(List.of("command", "decision", "directive", "redelivery", "directive", "timeout"),
                texts(story.path("events"), "kind"));
    }

    @Test
    void aDirectiveReadBeforeItsDecisionStillGivesTheDeadline() {
        state.accept(directive("r1", 1, T0, T0 + 5_000));
        state.accept(audit(decision("r1", "job-1", "AK1", Outcome.ACCEPTED, null).setDirectiveId("r1#1").setAttempt(1), T0));
        assertEquals(T0 + 5_000, deadline("r1"));
    }

    @Test
    void aCompletedStopIsNoLongerPendingAndItsStoryHasTheReportAndTheCompletion() {
        state.accept(audit(decision("r1", "job-1", "AK1", Outcome.ACCEPTED, null).setDirectiveId("r1#1").setAttempt(1)
                .setPolicyVerdict("Allow by LiveOps#0").setQuotaCount(7), T0));
        state.accept(report("r1", JobStatus.STOPPED, T0 + 100));
        state.accept(report(null, JobStatus.UNKNOWN, T0 + 150)); // a report of no directive: nobody's story
        state.accept(audit(followUp("r1", AuditEventType.COMPLETED, Outcome.COMPLETED, null), T0 + 200));
        JsonNode o = state.overview(true, null);
        assertEquals(0, o.path("pending").size());
        assertEquals(1, o.path("completions").asInt());
        assertEquals(1, o.path("stories").asInt());
        JsonNode events = state.storyOf("r1").path("events");
        assertEquals(List.of("command", "decision", "report", "completion"), texts(events, "kind"));
        assertEquals("Allow by LiveOps#0", events.path(1).path("data").path("policyVerdict").asText());
        assertEquals(7, events.path(1).path("data").path("quotaCount").asInt());
        assertTrue(events.path(1).path("data").path("command").isMissingNode(), "the command is shown once, as its own entry");
    }

    @Test
    void decisionsAreCountedPerSecondByOutcomeAndCode() {
        state.accept(audit(decision("r1", "job-1", "AK1", Outcome.ACCEPTED, null), T0 + 10_000));
        state.accept(audit(decision("r2", "job-2", "AK2", Outcome.REJECTED, "Forbidden"), T0 + 10_500));
        state.accept(audit(decision("r3", "job-3", "AK2", Outcome.REJECTED, "Forbidden"), T0 + 11_000));
        JsonNode o = state.overview(true, null);
        assertEquals(60, o.path("perSecond").size());
        JsonNode forbidden = row(o.path("decisions"), "Forbidden");
        assertEquals("REJECTED", forbidden.path("outcome").asText());
        assertEquals(2, forbidden.path("lastMinute").asInt());
        assertEquals(2, forbidden.path("total").asInt());
        assertEquals(1, row(o.path("decisions"), null).path("total").asInt());
        assertEquals(List.of("r3", "r2", "r1"), texts(o.path("recentDecisions"), "requestId"), "newest first");
        long second = (T0 + 10_000) / 1000;
        JsonNode bucket = null;
        for (JsonNode s : o.path("perSecond")) {
            if (s.path("t").asLong() == second) {
                bucket = s;
            }
        }
        assertEquals(1, bucket.path("counts").path("ACCEPTED").asInt());
        assertEquals(1, bucket.path("counts").path("REJECTED Forbidden").asInt());
    }

    @Test
    void searchFindsByRequestIdJobIdAndAccessKeyIdAndForgetsTheOldestStoriesPastTheCap() {
        state.accept(audit(decision("r1", "job-1", "AK1", Outcome.ACCEPTED, null), T0));
        state.accept(audit(decision("r2", "job-1", "AK2", Outcome.ACCEPTED, null), T0 + 1));
        state.accept(audit(decision("r3", "job-3", "AK2", Outcome.ACCEPTED, null), T0 + 2));
        assertEquals(List.of("r2", "r1"), texts(state.search("job-1"), "requestId"));
        assertEquals(List.of("r3", "r2"), texts(state.search("AK2"), "requestId"));
        assertEquals(List.of("r3"), texts(state.search("r3"), "requestId"));

        state.accept(audit(decision("r4", "job-4", "AK4", Outcome.ACCEPTED, null), T0 + 3)); // the cap is 3
        assertNull(state.storyOf("r1"));
        assertEquals(List.of("r2"), texts(state.search("job-1"), "requestId"));
        assertEquals(List.of(), texts(state.search("AK1"), "requestId"));
        assertEquals(1, state.overview(true, null).path("evicted").asInt());
    }

    @Test
    void deadLettersAreShownByTheirHeadersAndUndecodableRecordsCounted() {
        RecordHeaders h = new RecordHeaders();
        h.add("__streams.errors.topic", "t.stop-commands".getBytes(StandardCharsets.UTF_8));
        h.add("__streams.errors.partition", "2".getBytes(StandardCharsets.UTF_8));
        h.add("__streams.errors.offset", "41".getBytes(StandardCharsets.UTF_8));
        h.add("__streams.errors.exception", "io.edgestop.schema.serde.RecordDecodingException".getBytes(StandardCharsets.UTF_8));
        h.add("__streams.errors.message", "not single-object encoded".getBytes(StandardCharsets.UTF_8));
        byte[] raw = "garbage".getBytes(StandardCharsets.UTF_8);
        state.accept(new ConsumerRecord<>(topics.deadLetter(), 0, offset++, T0, TimestampType.CREATE_TIME, -1, raw.length,
                null, raw, h, Optional.empty()));
        state.accept(record(topics.audit(), "acct", raw, T0));
        JsonNode o = state.overview(true, null);
        assertEquals(1, o.path("deadLetters").asInt());
        JsonNode d = o.path("recentDeadLetters").path(0);
        assertEquals("t.stop-commands", d.path("sourceTopic").asText());
        assertEquals("41", d.path("sourceOffset").asText());
        assertEquals("not single-object encoded", d.path("message").asText());
        assertEquals(7, d.path("valueBytes").asInt());
        assertFalse(o.toString().contains("garbage"), "the raw bytes are not shown");
        assertEquals(1, o.path("undecodable").asInt());
    }

    @Test
    void itReadsItsTopicsOnly() {
        assertTrue(state.reads(topics.audit()) && state.reads(topics.stopResults()) && state.reads(topics.deadLetter())
                && state.reads(topics.jobStatusReports("edge-1")) && state.reads(topics.directives("edge-1")));
        assertFalse(state.reads(topics.directives("")) || state.reads(topics.accountPolicies())
                || state.reads(topics.stopCommands()) || state.reads(topics.jobState()) || state.reads(topics.streamTimeTicks()));
    }

    private long deadline(String requestId) {
        for (JsonNode p : state.overview(true, null).path("pending")) {
            if (p.path("requestId").asText().equals(requestId)) {
                return Instant.parse(p.path("deadline").asText()).toEpochMilli();
            }
        }
        throw new AssertionError(requestId + " is not pending");
    }

    private static JsonNode row(JsonNode rows, String code) {
        for (JsonNode r : rows) {
            if (code == null ? r.path("code").isNull() : r.path("code").asText().equals(code)) {
                return r;
            }
        }
        throw new AssertionError("no row for " + code + " in " + rows);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static AuditRecord.Builder decision(String requestId, String jobId, String accessKeyId, Outcome outcome,
                                                String code) {
        StopCommand c = StopCommand.newBuilder().setRequestId(requestId).setAccountId("acct").setClusterId("edge-1")
                .setJobId(jobId).setAccessKeyId(accessKeyId).setPrincipal("acs:ram::acct:root").build();
        return AuditRecord.newBuilder().setAuditId(requestId + ":DECISION").setEventType(AuditEventType.DECISION)
                .setRequestId(requestId).setAccountId("acct").setCommand(c).setOutcome(outcome).setCode(code);
    }

    private static AuditRecord.Builder followUp(String requestId, AuditEventType type, Outcome outcome, Integer attempt) {
        return AuditRecord.newBuilder().setAuditId(requestId + ":" + type).setEventType(type).setRequestId(requestId)
                .setAccountId("acct").setOutcome(outcome).setAttempt(attempt)
                .setDirectiveId(attempt == null ? null : requestId + "#" + attempt);
    }

    @Test
    void theChainsShowTheirHeadTheLastMatchingCheckpointAndEveryBreak() {
        byte[] previous = io.edgestop.orchestrator.topology.AuditChain.GENESIS;
        List<ConsumerRecord<String, byte[]>> chained = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            AuditRecord r = decision("r" + i, "job-1", "AK1", Outcome.ACCEPTED, null).setEventTime(Instant.ofEpochMilli(T0))
                    .setChain(0).setChainSequence((long) i).setPreviousHash(java.nio.ByteBuffer.wrap(previous)).build();
            previous = io.edgestop.orchestrator.topology.AuditChain.hashOfWritten(AvroSerdes.auditRecord().serialize("", r));
            r.setRecordHash(java.nio.ByteBuffer.wrap(previous));
            chained.add(record(topics.audit(), "acct", AvroSerdes.auditRecord().serialize("", r), T0));
        }
        state.accept(chained.get(0));
        state.accept(chained.get(1));
        io.edgestop.schema.AuditCheckpoint checkpoint = io.edgestop.schema.AuditCheckpoint.newBuilder().setChain(0).setSequence(2)
                .setHeadHash(AvroSerdes.auditRecord().deserialize("", chained.get(1).value()).getRecordHash())
                .setPreviousSequence(0).setEventTime(Instant.ofEpochMilli(T0)).setKeyId("k").build();
        state.accept(record(topics.auditCheckpoints(), "0", AvroSerdes.auditCheckpoint().serialize("", checkpoint), T0));
        state.accept(chained.get(1)); // read again (as written twice): a repeated position
        state.accept(chained.get(2));
        JsonNode o = state.overview(true, null);
        JsonNode chain = o.path("chains").path(0);
        assertEquals(3, chain.path("head").asInt());
        assertEquals(2, chain.path("checkpoint").asInt(), o.toString());
        assertEquals(1, o.path("chainBreaks").asInt());
        assertTrue(o.path("recentChainBreaks").path(0).asText().startsWith("BREAK partition=0 offset=1 auditId=r2:DECISION check=ORDER:"),
                o.toString());
    }

    private ConsumerRecord<String, byte[]> audit(AuditRecord.Builder a, long time) {
        AuditRecord r = a.setEventTime(Instant.ofEpochMilli(time)).build();
        return record(topics.audit(), "acct", AvroSerdes.auditRecord().serialize(topics.audit(), r), time);
    }

    private ConsumerRecord<String, byte[]> directive(String requestId, int attempt, long issuedAt, long deadline) {
        StopDirective d = StopDirective.newBuilder().setDirectiveId(requestId + "#" + attempt).setRequestId(requestId)
                .setAccountId("acct").setClusterId("edge-1").setJobId("job-1").setAttempt(attempt)
                .setIssuedAt(Instant.ofEpochMilli(issuedAt)).setDeadline(Instant.ofEpochMilli(deadline)).build();
        String topic = topics.directives("edge-1");
        return record(topic, "edge-1/job-1", AvroSerdes.stopDirective().serialize(topic, d), issuedAt);
    }

    private ConsumerRecord<String, byte[]> report(String requestId, JobStatus status, long time) {
        JobStatusReport r = JobStatusReport.newBuilder().setClusterId("edge-1")
                .setJobId("job-1").setStatus(status).setRequestId(requestId).setWorkerId("w1")
                .setReportedAt(Instant.ofEpochMilli(time)).build();
        String topic = topics.jobStatusReports("edge-1");
        return record(topic, "edge-1/job-1", AvroSerdes.jobStatusReport().serialize(topic, r), time);
    }

    private ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value, long time) {
        return new ConsumerRecord<>(topic, 0, offset++, time, TimestampType.CREATE_TIME, -1, value.length, key, value,
                new RecordHeaders(), Optional.empty());
    }
}
