package io.edgestop.devtools.console;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.edgestop.devtools.audit.AuditFormat;
import io.edgestop.devtools.audit.AuditReader;
import io.edgestop.devtools.audit.ChainCheck;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * What the console shows, folded from the records of the audit, stop-results, directive,
 * job-status-reports and dead-letter topics: every stop's story (all records carrying its
 * request id), decisions per second by outcome and code, the pending stops with their attempt and
 * deadline, redeliveries, timeouts and dead letters. Bounded: at most {@code maxStories} stories
 * (the oldest go first, with their search entries), and as many pending stops; counters cover the
 * whole stream. Nothing here holds a secret: none of these records carries one (the adapter never
 * puts an AccessKeySecret on Kafka), and dead letters are shown by their headers, not their bytes.
 */
public final class ConsoleState {

    /** Stories kept when not configured: about 1.7 KB each for a stop's six records (about 16 MB in all). */
    public static final int DEFAULT_MAX_STORIES = 10_000;
    static final int RATE_WINDOW_SECONDS = 60;
    private static final int RECENT = 50;
    private static final int MAX_SEARCH_RESULTS = 200;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Kinds of story entries, in the order shown when they share a timestamp (cause before effect). */
    private enum Kind { command, decision, redelivery, directive, report, completion, timeout, result }

    /** One record of a story, kept as read (Avro, a few hundred bytes) and decoded only when the story is shown. */
    private record Entry(Kind kind, long time, String topic, byte[] value) {
    }

    private static final class Story {
        final String requestId;
        final List<Entry> entries = new ArrayList<>();
        /** attempt -> {issuedAt, deadline} of the directives read. */
        Map<Integer, long[]> directives;
        String accountId;
        String accessKeyId;
        String clusterId;
        String jobId;
        String outcome;
        String code;
        long firstTime = Long.MAX_VALUE;

        Story(String requestId) {
            this.requestId = requestId;
        }
    }

    /** A stop in flight: accepted with a directive, neither completed nor timed out yet. */
    private static final class Pending {
        final String requestId;
        final String accountId;
        final String clusterId;
        final String jobId;
        int attempt;
        long issuedAt;
        long deadline;

        Pending(String requestId, String accountId, String clusterId, String jobId) {
            this.requestId = requestId;
            this.accountId = accountId;
            this.clusterId = clusterId;
            this.jobId = jobId;
        }
    }

    private final Topics topics;
    private final long directiveDeadlineMs;
    private final int maxStories;
    private final Clock clock;
    private final AvroSerde<AuditRecord> audits = AvroSerdes.auditRecord();
    private final AvroSerde<io.edgestop.schema.AuditCheckpoint> checkpoints = AvroSerdes.auditCheckpoint();
    /** The audit hash chains as read (every audit partition from its beginning) and their checkpoints. */
    private final ChainCheck chains = new ChainCheck(Map.of());
    private final AvroSerde<StopResult> results = AvroSerdes.stopResult();
    private final AvroSerde<StopDirective> directives = AvroSerdes.stopDirective();
    private final AvroSerde<JobStatusReport> reports = AvroSerdes.jobStatusReport();

    private final LinkedHashMap<String, Story> stories = new LinkedHashMap<>();
    /** Search keys (JobId, AccessKeyId) to the request ids of the kept stories. */
    private final Map<String, Set<String>> byKey = new HashMap<>();
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    /** Decisions by event-time second, then by "OUTCOME" or "OUTCOME code". */
    private final TreeMap<Long, Map<String, Integer>> perSecond = new TreeMap<>();
    private final Map<String, Long> decisionTotals = new TreeMap<>();
    private final Deque<ObjectNode> recentDecisions = new ArrayDeque<>();
    private final Deque<ObjectNode> recentFollowUps = new ArrayDeque<>();
    private final Deque<ObjectNode> recentDeadLetters = new ArrayDeque<>();
    private long records;
    private long undecodable;
    private long redeliveries;
    private long timeouts;
    private long completions;
    private long deadLetters;
    private long evicted;
    private long version;

    public ConsoleState(Topics topics, long directiveDeadlineMs, int maxStories, Clock clock) {
        if (maxStories < 1) {
            throw new IllegalArgumentException("maxStories must be at least 1: " + maxStories);
        }
        this.topics = topics;
        this.directiveDeadlineMs = directiveDeadlineMs;
        this.maxStories = maxStories;
        this.clock = clock;
    }

    /** The topics the console reads. */
    public boolean reads(String topic) {
        return topic.equals(topics.audit()) || topic.equals(topics.auditCheckpoints()) || topic.equals(topics.stopResults())
                || topics.clusterOfJobStatusReports(topic) != null || topic.equals(topics.deadLetter()) || isDirectiveTopic(topic);
    }

    private boolean isDirectiveTopic(String topic) {
        return topic.startsWith(topics.directives("")) && topic.length() > topics.directives("").length();
    }

    /** Folds one record in (the follower's thread). */
    public synchronized void accept(ConsumerRecord<String, byte[]> r) {
        records++;
        version++;
        if (r.topic().equals(topics.deadLetter())) {
            deadLetter(r);
            return;
        }
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(topics.audit())) {
                AuditRecord a = null;
                try {
                    a = audits.deserialize(r.topic(), r.value());
                } finally { // an undecodable record is a break of its chain too
                    chains.accept(new AuditReader.Entry(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), a));
                }
                audit(a, r);
            } else if (r.topic().equals(topics.auditCheckpoints())) {
                chains.checkpoint(new ChainCheck.Checkpoint(r.partition(), r.offset(), checkpoints.deserialize(r.topic(), r.value())));
            } else if (r.topic().equals(topics.stopResults())) {
                StopResult v = results.deserialize(r.topic(), r.value());
                Story s = story(v.getRequestId());
                s.clusterId = orElse(s.clusterId, v.getClusterId());
                index(s, v.getJobId(), null);
                add(s, Kind.result, r);
            } else if (topics.clusterOfJobStatusReports(r.topic()) != null) {
                JobStatusReport v = reports.deserialize(r.topic(), r.value());
                if (v.getRequestId() != null) { // reports of no directive belong to no story
                    add(story(v.getRequestId()), Kind.report, r);
                }
            } else if (isDirectiveTopic(r.topic())) {
                directive(directives.deserialize(r.topic(), r.value()), r);
            }
        } catch (RuntimeException e) {
            undecodable++; // the orchestrator dead-letters what it cannot read; the console just counts
        }
    }

    private void audit(AuditRecord a, ConsumerRecord<String, byte[]> r) {
        Story s = story(a.getRequestId());
        s.accountId = orElse(s.accountId, a.getAccountId());
        long time = a.getEventTime().toEpochMilli();
        switch (a.getEventType()) {
            case DECISION -> {
                StopCommand c = a.getCommand();
                if (c != null) {
                    s.clusterId = orElse(s.clusterId, c.getClusterId());
                    index(s, c.getJobId(), c.getAccessKeyId());
                    add(s, Kind.command, r);
                }
                add(s, Kind.decision, r);
                s.outcome = a.getOutcome().toString();
                s.code = a.getCode();
                countDecision(s, a, time);
                if (a.getOutcome() == Outcome.ACCEPTED && a.getDirectiveId() != null && c != null) {
                    Pending p = new Pending(s.requestId, a.getAccountId(), c.getClusterId(), c.getJobId());
                    attempt(p, s, a.getAttempt() == null ? 1 : a.getAttempt(), time);
                    putPending(p);
                }
            }
            case DIRECTIVE_REDELIVERED -> {
                redeliveries++;
                add(s, Kind.redelivery, r);
                followUp(a, s);
                Pending p = pending.get(s.requestId);
                if (p != null && a.getAttempt() != null && a.getAttempt() > p.attempt) {
                    attempt(p, s, a.getAttempt(), time);
                }
            }
            case COMPLETED, TIMED_OUT -> {
                boolean done = a.getEventType() == AuditEventType.COMPLETED;
                if (done) {
                    completions++;
                } else {
                    timeouts++;
                    followUp(a, s);
                }
                add(s, done ? Kind.completion : Kind.timeout, r);
                s.outcome = a.getOutcome().toString();
                s.code = a.getCode();
                pending.remove(s.requestId);
            }
            default -> add(s, Kind.decision, r);
        }
    }

    /**
     * The attempt's deadline: the one its directive carries (what the orchestrator acts on), else, until
     * that directive is read, as DirectiveRedelivery sets it: issued at the audit entry's event time, due
     * one directive deadline later.
     */
    private void attempt(Pending p, Story s, int attempt, long issuedAt) {
        p.attempt = attempt;
        p.issuedAt = issuedAt;
        p.deadline = issuedAt + directiveDeadlineMs;
        long[] read = s.directives == null ? null : s.directives.get(attempt);
        if (read != null) {
            p.issuedAt = read[0];
            p.deadline = read[1];
        }
    }

    private void directive(StopDirective d, ConsumerRecord<String, byte[]> r) {
        Story s = story(d.getRequestId());
        s.clusterId = orElse(s.clusterId, d.getClusterId());
        index(s, d.getJobId(), null);
        add(s, Kind.directive, r);
        if (s.directives == null) {
            s.directives = new HashMap<>();
        }
        s.directives.put(d.getAttempt(), new long[] {d.getIssuedAt().toEpochMilli(), d.getDeadline().toEpochMilli()});
        Pending p = pending.get(d.getRequestId());
        if (p != null && d.getAttempt() >= p.attempt) {
            p.attempt = d.getAttempt();
            p.issuedAt = d.getIssuedAt().toEpochMilli();
            p.deadline = d.getDeadline().toEpochMilli();
        }
    }

    private void countDecision(Story s, AuditRecord a, long time) {
        String key = a.getCode() == null ? a.getOutcome().toString() : a.getOutcome() + " " + a.getCode();
        decisionTotals.merge(key, 1L, Long::sum);
        perSecond.computeIfAbsent(Math.floorDiv(time, 1000), k -> new HashMap<>()).merge(key, 1, Integer::sum);
        while (perSecond.size() > 2 * RATE_WINDOW_SECONDS) {
            perSecond.pollFirstEntry();
        }
        ObjectNode d = F.objectNode();
        d.put("time", Instant.ofEpochMilli(time).toString());
        d.put("requestId", s.requestId);
        d.put("accountId", s.accountId);
        d.put("accessKeyId", s.accessKeyId);
        d.put("clusterId", s.clusterId);
        d.put("jobId", s.jobId);
        d.put("outcome", a.getOutcome().toString());
        d.put("code", a.getCode());
        d.put("policyVerdict", a.getPolicyVerdict());
        recent(recentDecisions, d);
    }

    private void followUp(AuditRecord a, Story s) {
        ObjectNode f = F.objectNode();
        f.put("time", a.getEventTime().toString());
        f.put("eventType", a.getEventType().toString());
        f.put("requestId", s.requestId);
        f.put("clusterId", s.clusterId);
        f.put("jobId", s.jobId);
        f.put("attempt", a.getAttempt());
        f.put("message", a.getMessage());
        recent(recentFollowUps, f);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r) {
        deadLetters++;
        ObjectNode d = F.objectNode();
        d.put("time", Instant.ofEpochMilli(r.timestamp()).toString());
        d.put("offset", r.offset());
        // the reason and origin only: the raw value is what could not be read, and is not shown
        for (String h : List.of("topic", "partition", "offset", "exception", "message")) {
            Header header = r.headers().lastHeader("__streams.errors." + h);
            d.put(h.equals("offset") ? "sourceOffset" : h.equals("topic") ? "sourceTopic" : h,
                    header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        d.put("valueBytes", r.value() == null ? 0 : r.value().length);
        recent(recentDeadLetters, d);
    }

    private static void recent(Deque<ObjectNode> list, ObjectNode item) {
        list.addFirst(item);
        while (list.size() > RECENT) {
            list.removeLast();
        }
    }

    private Story story(String requestId) {
        Story s = stories.get(requestId);
        if (s == null) {
            s = new Story(requestId);
            stories.put(requestId, s);
            while (stories.size() > maxStories) {
                Iterator<Story> oldest = stories.values().iterator();
                Story gone = oldest.next();
                oldest.remove();
                unindex(gone);
                evicted++;
            }
        }
        return s;
    }

    private void index(Story s, String jobId, String accessKeyId) {
        if (jobId != null && s.jobId == null) {
            s.jobId = jobId;
            byKey.computeIfAbsent(jobId, k -> new LinkedHashSet<>()).add(s.requestId);
        }
        if (accessKeyId != null && s.accessKeyId == null) {
            s.accessKeyId = accessKeyId;
            byKey.computeIfAbsent(accessKeyId, k -> new LinkedHashSet<>()).add(s.requestId);
        }
    }

    private void unindex(Story s) {
        for (String key : new String[] {s.jobId, s.accessKeyId}) {
            Set<String> ids = key == null ? null : byKey.get(key);
            if (ids != null && ids.remove(s.requestId) && ids.isEmpty()) {
                byKey.remove(key);
            }
        }
    }

    private void putPending(Pending p) {
        pending.put(p.requestId, p);
        if (pending.size() > maxStories) {
            Iterator<Pending> oldest = pending.values().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static void add(Story s, Kind kind, ConsumerRecord<String, byte[]> r) {
        s.entries.add(new Entry(kind, r.timestamp(), r.topic(), r.value()));
        s.firstTime = Math.min(s.firstTime, r.timestamp());
    }

    private static String orElse(String current, String other) {
        return current != null ? current : other;
    }

    /** Changes with every record read: the live feed sends a new overview only when it moved. */
    public synchronized long version() {
        return version;
    }

    /** Counters, rates, pending stops, follow-ups, dead letters and the latest decisions. */
    public synchronized ObjectNode overview(boolean caughtUp, String problem) {
        ObjectNode o = F.objectNode();
        long now = clock.millis();
        o.put("now", Instant.ofEpochMilli(now).toString());
        o.put("caughtUp", caughtUp);
        o.put("problem", problem);
        o.put("records", records);
        o.put("undecodable", undecodable);
        o.put("stories", stories.size());
        o.put("maxStories", maxStories);
        o.put("evicted", evicted);

        long nowSecond = Math.floorDiv(now, 1000);
        ArrayNode seconds = o.putArray("perSecond");
        Map<String, Integer> window = new TreeMap<>();
        for (long t = nowSecond - RATE_WINDOW_SECONDS + 1; t <= nowSecond; t++) {
            ObjectNode sec = seconds.addObject();
            sec.put("t", t);
            ObjectNode counts = sec.putObject("counts");
            perSecond.getOrDefault(t, Map.of()).forEach((k, n) -> {
                counts.put(k, n);
                window.merge(k, n, Integer::sum);
            });
        }
        ArrayNode byOutcome = o.putArray("decisions");
        decisionTotals.forEach((key, total) -> {
            ObjectNode row = byOutcome.addObject();
            int space = key.indexOf(' ');
            row.put("outcome", space < 0 ? key : key.substring(0, space));
            row.put("code", space < 0 ? null : key.substring(space + 1));
            row.put("lastMinute", window.getOrDefault(key, 0));
            row.put("perSecond", window.getOrDefault(key, 0) / (double) RATE_WINDOW_SECONDS);
            row.put("total", total);
        });

        ArrayNode p = o.putArray("pending");
        pending.values().stream().sorted(Comparator.comparingLong(x -> x.deadline)).forEach(x -> {
            ObjectNode row = p.addObject();
            row.put("requestId", x.requestId);
            row.put("accountId", x.accountId);
            row.put("clusterId", x.clusterId);
            row.put("jobId", x.jobId);
            row.put("attempt", x.attempt);
            row.put("issuedAt", Instant.ofEpochMilli(x.issuedAt).toString());
            row.put("deadline", Instant.ofEpochMilli(x.deadline).toString());
        });
        o.put("redeliveries", redeliveries);
        o.put("timeouts", timeouts);
        o.put("completions", completions);
        o.set("followUps", F.arrayNode().addAll(recentFollowUps));
        o.put("deadLetters", deadLetters);
        o.set("recentDeadLetters", F.arrayNode().addAll(recentDeadLetters));
        o.set("recentDecisions", F.arrayNode().addAll(recentDecisions));
        ArrayNode chainRows = o.putArray("chains");
        chains.heads().forEach(h -> {
            ObjectNode row = chainRows.addObject();
            row.put("partition", h.partition());
            row.put("chain", h.chain());
            row.put("head", h.sequence());
            row.put("offset", h.offset());
            ChainCheck.Checkpoint c = chains.confirmed().get(h.chain());
            row.put("checkpoint", c == null ? null : c.value().getSequence());
            row.put("checkpointTime", c == null ? null : c.value().getEventTime().toString());
        });
        o.put("chainBreaks", chains.breaks().size());
        ArrayNode breakRows = o.putArray("recentChainBreaks");
        chains.breaks().stream().skip(Math.max(0, chains.breaks().size() - 20)).forEach(b -> breakRows.add(AuditFormat.chainBreak(b)));
        return o;
    }

    /** The stories whose RequestId, JobId or AccessKeyId is {@code term}, newest first (at most 200). */
    public synchronized ArrayNode search(String term) {
        Set<String> ids = new LinkedHashSet<>();
        if (stories.containsKey(term)) {
            ids.add(term);
        }
        ids.addAll(byKey.getOrDefault(term, Set.of()));
        List<Story> found = ids.stream().map(stories::get)
                .sorted(Comparator.comparingLong((Story s) -> s.firstTime).reversed())
                .limit(MAX_SEARCH_RESULTS).toList();
        ArrayNode out = F.arrayNode();
        for (Story s : found) {
            ObjectNode row = out.addObject();
            row.put("requestId", s.requestId);
            row.put("time", s.firstTime == Long.MAX_VALUE ? null : Instant.ofEpochMilli(s.firstTime).toString());
            row.put("accountId", s.accountId);
            row.put("accessKeyId", s.accessKeyId);
            row.put("clusterId", s.clusterId);
            row.put("jobId", s.jobId);
            row.put("outcome", pending.containsKey(s.requestId) ? "PENDING" : s.outcome);
            row.put("code", s.code);
        }
        return out;
    }

    /** Every record of one stop, in the order they happened; null when no story has that RequestId. */
    public synchronized ObjectNode storyOf(String requestId) {
        Story s = stories.get(requestId);
        if (s == null) {
            return null;
        }
        ObjectNode o = F.objectNode();
        o.put("requestId", s.requestId);
        o.put("accountId", s.accountId);
        o.put("accessKeyId", s.accessKeyId);
        o.put("clusterId", s.clusterId);
        o.put("jobId", s.jobId);
        o.put("outcome", pending.containsKey(s.requestId) ? "PENDING" : s.outcome);
        o.put("code", s.code);
        ArrayNode events = o.putArray("events");
        s.entries.stream().sorted(Comparator.comparingLong(Entry::time).thenComparing(Entry::kind)).forEach(e -> {
            ObjectNode ev = events.addObject();
            ev.put("kind", e.kind.name());
            ev.put("time", Instant.ofEpochMilli(e.time).toString());
            ev.put("topic", e.topic);
            ev.set("data", data(e));
        });
        return o;
    }

    /** An entry's record as JSON; a DECISION audit entry is shown as its command and, without it, the decision. */
    private JsonNode data(Entry e) {
        return switch (e.kind) {
            case command -> AvroJson.toJson(audits.deserialize(e.topic, e.value).getCommand());
            case decision, redelivery, completion, timeout -> {
                ObjectNode audit = (ObjectNode) AvroJson.toJson(audits.deserialize(e.topic, e.value));
                audit.remove("command");
                yield audit;
            }
            case directive -> AvroJson.toJson(directives.deserialize(e.topic, e.value));
            case result -> AvroJson.toJson(results.deserialize(e.topic, e.value));
            case report -> AvroJson.toJson(reports.deserialize(e.topic, e.value));
        };
    }
}
