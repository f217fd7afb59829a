package io.edgestop.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Checks the exactly-once invariants from the output topics alone (read_committed):
 * <ol>
 * <li>every command has exactly one decision result (ACCEPTED or REJECTED), and it is the expected one;</li>
 * <li>no two results of one request id contradict each other (different outcome or code);</li>
 * <li>every accepted command (not joined to another stop) has exactly one attempt-1 directive on its
 *     cluster's topic, and nothing else has one;</li>
 * <li>the audit stream has exactly one DECISION record per decided command, agreeing with its result;</li>
 * <li>no job has more than one attempt-1 directive (repeats of a stop in flight join it);</li>
 * <li>the throttled account's calls pass and are throttled exactly as its quota says ({@link #checkQuota});</li>
 * <li>no directive has an attempt other than 1 (the tests' deadline is 10 minutes: a redelivery means a lost stop);</li>
 * <li>no request has more than one COMPLETED result, and, where edge workers run, every attempt-1 directive was
 *     acted on by a worker (a STOPPED report naming its id) and its request got its COMPLETED result.</li>
 * </ol>
 * Where the broker's log files are read ({@link BrokerLog}), a decision result written twice names the producer,
 * epoch and sequence number of each copy.
 */
final class Verifier {

    /** What the output topics hold. */
    record Report(int commands, int results, int decisions, int accepted, int joined, Map<String, Integer> rejectedByCode,
                  int quotaPassed, int directivesAttempt1, int directivesRetried, int directivesActedOn, int completed, int auditDecisions,
                  int duplicates, int contradictions, List<String> problems) {

        String line() {
            return "commands=" + commands + ", results=" + results + ", decisions=" + decisions + ", accepted=" + accepted
                    + (joined > 0 ? ", joined=" + joined : "") + ", rejected=" + rejectedByCode
                    + ", quota passes of the throttled account=" + quotaPassed + ", directives(attempt 1)=" + directivesAttempt1
                    + ", directives(attempt > 1)=" + directivesRetried
                    + (directivesActedOn < 0 ? "" : ", directives a worker acted on=" + directivesActedOn
                            + ", COMPLETED=" + completed)
                    + ", audit decisions=" + auditDecisions + ", duplicates=" + duplicates
                    + ", contradictions=" + contradictions;
        }

        String problemText() {
            return problems.size() + " problem(s), first ones: " + problems.subList(0, Math.min(25, problems.size()));
        }
    }

    /** No new output for this long means the orchestrator is done (its commit interval under EOS is 100 ms). */
    static final Duration QUIET = Duration.ofSeconds(2);

    private Verifier() {
    }

    /**
     * Where the commands without a decision left traces: the topics read uncommitted, and the dead letters; per
     * topic the records naming one (per partition of the commands topic, with their first and last offset).
     */
    private static String whereAreThey(String bootstrap, Scenario s, Set<String> missing) {
        Map<String, long[]> seen = new TreeMap<>(); // count, first offset, last offset
        java.util.Properties p = Outputs.consumerProps(bootstrap);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        for (String topic : List.of(s.topics.stopCommands(), s.topics.stopResults(), s.topics.audit(), s.topics.deadLetter())) {
            for (ConsumerRecord<String, byte[]> r : Outputs.readAll(p, List.of(topic))) {
                String text = r.value() == null ? "" : new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String id : missing) {
                    if (text.contains(id)) {
                        long[] where = seen.computeIfAbsent(topic + (topic.equals(s.topics.stopCommands()) ? "-" + r.partition() : ""),
                                k -> new long[] {0, r.offset(), r.offset()});
                        where[0]++;
                        where[1] = Math.min(where[1], r.offset());
                        where[2] = Math.max(where[2], r.offset());
                        if (topic.equals(s.topics.audit()) && where[0] <= 2) {
                            System.out.println("[verifier] audit of a command without a decision: " + r.partition() + "@" + r.offset()
                                    + " ts=" + r.timestamp() + " " + AvroSerdes.auditRecord().deserialize(topic, r.value()));
                        }
                        break;
                    }
                }
            }
        }
        List<String> parts = new ArrayList<>();
        seen.forEach((where, n) -> parts.add(where + ": " + n[0] + (where.startsWith(s.topics.stopCommands())
                ? " at offsets " + n[1] + "-" + n[2] : "")));
        return "read uncommitted, records naming them: " + parts;
    }

    /**
     * The quota of account {@link Scenario#THROTTLED}, exactly: its decisions, in the order the orchestrator made
     * them (audit offsets), replayed through a model of the rule (a call passes iff every 60-second window of
     * whole seconds containing its second holds fewer than the limit passed calls), must pass (JobNotFound) and
     * throttle (Throttling.User) the same calls. A quota ledger lost across a fault lets calls pass that the
     * model throttles; one counted twice throttles calls the model passes. Returns the passes.
     */
    static int checkQuota(List<AuditRecord> audits, List<String> problems) {
        List<Long> passedSeconds = new ArrayList<>();
        int mismatches = 0;
        for (AuditRecord a : audits) {
            if (a.getEventType() != AuditEventType.DECISION || !Scenario.THROTTLED.equals(a.getAccountId())
                    || !("JobNotFound".equals(a.getCode()) || "Throttling.User".equals(a.getCode()))) {
                continue;
            }
            long second = Math.floorDiv(a.getEventTime().toEpochMilli(), 1000L);
            boolean passes = true;
            for (long start = second - 59; start <= second && passes; start++) {
                long from = start;
                passes = passedSeconds.stream().filter(b -> b >= from && b <= from + 59).count()
                        < Scenario.THROTTLED_PER_MINUTE;
            }
            if (passes) {
                passedSeconds.add(second);
            }
            if (passes != "JobNotFound".equals(a.getCode()) && mismatches++ < 5) {
                problems.add("quota: " + a.getRequestId() + " at " + a.getEventTime() + " was " + a.getCode() + ", the quota "
                        + (passes ? "passes" : "throttles") + " it (" + passedSeconds.size() + " passed so far)");
            }
        }
        if (mismatches > 5) {
            problems.add("quota: " + (mismatches - 5) + " more decisions of account " + Scenario.THROTTLED + " disagree");
        }
        return passedSeconds.size();
    }

    static boolean isDecision(StopResult r) {
        return r.getOutcome() == Outcome.ACCEPTED || r.getOutcome() == Outcome.REJECTED;
    }

    /** Waits until every one of these request ids has a decision result on the results topic. */
    static void awaitDecisions(String bootstrap, Scenario s, Collection<String> ids, Duration timeout) {
        Set<String> missing = new HashSet<>(ids);
        try (Outputs.Tail tail = new Outputs.Tail(bootstrap, s.topics.stopResults())) {
            await("decision results for " + ids.size() + " commands").atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> rec : tail.poll()) {
                            StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
                            if (isDecision(r)) {
                                missing.remove(r.getRequestId());
                            }
                        }
                        return missing.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> sample = new ArrayList<>(missing).subList(0, Math.min(10, missing.size()));
            throw new AssertionError(missing.size() + " of " + ids.size() + " commands got no decision within "
                    + timeout + ", e.g. " + sample + "; " + whereAreThey(bootstrap, s, missing), e);
        }
    }

    /**
     * What the topics hold, decoded; {@code reports} and {@code observations} are null when no edge worker ran.
     * {@code published}: the request id of every decodable command on the command topic, whoever wrote it (an
     * HTTP call whose answer its caller never saw included): each must be decided.
     */
    record Snapshot(List<Keyed<StopResult>> results, List<Keyed<StopDirective>> directives, List<AuditRecord> audits,
                    List<JobStatusReport> reports, List<String> published, List<JobObservation> observations) {
    }

    /**
     * A decoded record with its key (results) or its topic (directives), its partition@offset (-1@-1: built in
     * a test) and how the broker's log says it was appended ({@link BrokerLog#appendedAs}; null when not read).
     */
    record Keyed<T>(String where, T value, String at, String appendedAs) {
        Keyed(String where, T value) {
            this(where, value, "-1@-1", null);
        }
    }

    /**
     * Waits until the output topics settle: no new committed record on the results, audit, directive
     * and report topics for {@code quiet} (a few commit intervals), so a check does not race follow-ups
     * still in flight. (The orchestrator's stream-time ticks have a topic of their own, so the report
     * topics' ends stand still once the workers are done.)
     */
    static void settle(String bootstrap, Scenario s, Duration quiet, Duration timeout) {
        List<String> topics = new ArrayList<>(List.of(s.topics.stopResults(), s.topics.audit()));
        topics.addAll(Outputs.directiveTopics(s));
        topics.addAll(Outputs.reportTopics(s));
        AtomicReference<Map<TopicPartition, Long>> last = new AtomicReference<>();
        long[] since = {System.nanoTime()};
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Outputs.consumerProps(bootstrap))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                c.partitionsFor(t, Duration.ofSeconds(30)).forEach(pi -> parts.add(new TopicPartition(t, pi.partition())));
            }
            await("output topics quiet for " + quiet).atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(30));
                if (!ends.equals(last.get())) {
                    last.set(ends);
                    since[0] = System.nanoTime();
                }
                return System.nanoTime() - since[0] >= quiet.toNanos();
            });
        }
    }

    /**
     * Reads the output topics (read committed); with {@code workers}, the edge workers' reports too; with
     * {@code broker} (null: not read), how each decision result was appended (named when a decision is found
     * twice, so the problem shows which transactions wrote it).
     */
    static Snapshot read(String bootstrap, Scenario s, boolean workers, BrokerLog broker) {
        List<Keyed<StopResult>> results = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopResults()))) {
            results.add(new Keyed<>(rec.key(), AvroSerdes.stopResult().deserialize(rec.topic(), rec.value()),
                    rec.partition() + "@" + rec.offset(),
                    broker == null ? null : broker.appendedAs(rec.topic(), rec.partition(), rec.offset())));
        }
        List<Keyed<StopDirective>> directives = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, Outputs.directiveTopics(s))) {
            directives.add(new Keyed<>(rec.topic(), AvroSerdes.stopDirective().deserialize(rec.topic(), rec.value())));
        }
        List<AuditRecord> audits = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.audit()))) {
            audits.add(AvroSerdes.auditRecord().deserialize(rec.topic(), rec.value()));
        }
        List<JobStatusReport> reports = null;
        if (workers) {
            reports = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.copyOf(Outputs.reportTopics(s)))) {
                reports.add(AvroSerdes.jobStatusReport().deserialize(rec.topic(), rec.value()));
            }
        }
        List<String> published = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopCommands()))) {
            try {
                StopCommand c = AvroSerdes.stopCommand().deserialize(rec.topic(), rec.value());
                if (c != null && c.getRequestId() != null) {
                    published.add(c.getRequestId());
                }
            } catch (RuntimeException undecodable) {
                // poison the hostile-input tests write on purpose: dead-lettered, never decided
            }
        }
        List<JobObservation> observations = null;
        if (workers) {
            observations = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.jobObservations()))) {
                observations.add(AvroSerdes.jobObservation().deserialize(rec.topic(), rec.value()));
            }
        }
        return new Snapshot(results, directives, audits, reports, published, observations);
    }

    /**
     * @param expected      the commands whose decision is known in advance (kind null: any decision)
     * @param allowUnknown  whether results of request ids not in {@code expected} may exist (HTTP calls
     *                      whose answer the caller never saw); they are still checked for duplicates
     */
    static Report check(String bootstrap, Scenario s, Map<String, Scenario.Kind> expected, boolean allowUnknown) {
        return judge(s, read(bootstrap, s, false, null), expected, allowUnknown);
    }

    /** {@link #check} with the broker's log files read: each duplicate names the producer, epoch and sequence of its copies. */
    static Report check(String bootstrap, Scenario s, Map<String, Scenario.Kind> expected, boolean allowUnknown, BrokerLog broker) {
        return judge(s, read(bootstrap, s, false, broker), expected, allowUnknown);
    }

    /** The invariants over what the topics hold (no Kafka: {@code VerifierTest} feeds it faults). */
    static Report judge(Scenario s, Snapshot out, Map<String, Scenario.Kind> expected, boolean allowUnknown) {
        List<String> problems = new ArrayList<>();
        Map<String, List<StopResult>> results = new HashMap<>();
        Map<String, List<String>> resultOffsets = new HashMap<>();
        for (Keyed<StopResult> k : out.results()) {
            StopResult r = k.value();
            if (!Objects.equals(k.where(), r.getRequestId())) {
                problems.add("result keyed " + k.where() + " is for " + r.getRequestId());
            }
            results.computeIfAbsent(r.getRequestId(), x -> new ArrayList<>()).add(r);
            if (isDecision(r)) {
                resultOffsets.computeIfAbsent(r.getRequestId(), x -> new ArrayList<>())
                        .add(k.at() + (k.appendedAs() == null ? "" : " (" + k.appendedAs() + ")"));
            }
        }
        Map<String, List<StopDirective>> firstDirectives = new HashMap<>();
        Map<String, Integer> directivesPerJob = new TreeMap<>();
        int attempt1 = 0;
        int retried = 0;
        for (Keyed<StopDirective> k : out.directives()) {
            StopDirective d = k.value();
            if (!k.where().equals(s.topics.directives(d.getClusterId()))) {
                problems.add("directive " + d.getDirectiveId() + " for cluster " + d.getClusterId() + " on " + k.where());
            }
            if (d.getAttempt() == 1) {
                attempt1++;
                firstDirectives.computeIfAbsent(d.getRequestId(), x -> new ArrayList<>()).add(d);
                directivesPerJob.merge(d.getClusterId() + "/" + d.getJobId(), 1, Integer::sum);
            } else {
                // every test sets a 10-minute directive deadline: a redelivery means a stop went unanswered
                retried++;
                problems.add("directive attempt " + d.getAttempt() + " for " + d.getRequestId() + " (" + d.getJobId() + ")");
            }
        }
        Map<String, List<AuditRecord>> auditDecisions = new HashMap<>();
        int auditCount = 0;
        for (AuditRecord a : out.audits()) {
            if (a.getEventType() == AuditEventType.DECISION) {
                auditCount++;
                auditDecisions.computeIfAbsent(a.getRequestId(), x -> new ArrayList<>()).add(a);
            }
        }
        // directives the edge workers acted on (a STOPPED report names the directive)
        Set<String> acted = new HashSet<>();
        if (out.reports() != null) {
            for (JobStatusReport rep : out.reports()) {
                if (rep.getStatus() == JobStatus.STOPPED && rep.getDirectiveId() != null) {
                    acted.add(rep.getDirectiveId());
                }
            }
        }

        int duplicates = 0;
        int contradictions = 0;
        int decisions = 0;
        int accepted = 0;
        int joined = 0;
        int completed = 0;
        for (Map.Entry<String, Integer> e : directivesPerJob.entrySet()) {
            if (e.getValue() > 1) {
                duplicates += e.getValue() - 1;
                problems.add(e.getValue() + " attempt-1 directives for job " + e.getKey());
            }
        }
        int quotaPassed = checkQuota(out.audits(), problems);
        Map<String, Integer> rejected = new TreeMap<>();
        for (Map.Entry<String, Scenario.Kind> e : expected.entrySet()) {
            List<StopResult> rs = results.getOrDefault(e.getKey(), List.of());
            if (rs.stream().noneMatch(Verifier::isDecision)) {
                problems.add("no decision for " + e.getKey());
            } else if (e.getValue() != null) {
                String m = Scenario.mismatch(e.getValue(), rs.stream().filter(Verifier::isDecision).findFirst().orElseThrow());
                if (m != null) {
                    problems.add(m);
                }
            }
        }
        // every command that reached the command topic is decided, also one whose HTTP caller saw no answer
        Set<String> undecided = new java.util.TreeSet<>();
        for (String id : out.published()) {
            if (!expected.containsKey(id) && results.getOrDefault(id, List.of()).stream().noneMatch(Verifier::isDecision)) {
                undecided.add(id);
            }
        }
        if (!undecided.isEmpty()) {
            problems.add(undecided.size() + " published commands never decided, e.g. "
                    + new ArrayList<>(undecided).subList(0, Math.min(5, undecided.size())));
        }
        // the job observations of stopped jobs, by the directive the worker acted on
        Map<String, List<JobObservation>> observedStops = new HashMap<>();
        if (out.observations() != null) {
            for (JobObservation o : out.observations()) {
                if (o.getStatus() == JobStatus.STOPPED && o.getDirectiveId() != null) {
                    observedStops.computeIfAbsent(o.getDirectiveId(), x -> new ArrayList<>()).add(o);
                }
            }
        }
        for (Map.Entry<String, List<StopResult>> e : results.entrySet()) {
            String id = e.getKey();
            if (!allowUnknown && !expected.containsKey(id)) {
                problems.add("result for a request nobody sent: " + id);
            }
            List<StopResult> ds = e.getValue().stream().filter(Verifier::isDecision).toList();
            if (ds.isEmpty()) {
                problems.add("follow-up without a decision for " + id);
                continue;
            }
            decisions++;
            StopResult d = ds.get(0);
            if (ds.size() > 1) {
                duplicates += ds.size() - 1;
                // where and in which transactions (docs/reliability.md, "A transaction completed without all its markers")
                problems.add(ds.size() + " decision results for " + id + " at " + resultOffsets.get(id));
            }
            for (StopResult other : e.getValue()) {
                boolean differs = isDecision(other)
                        ? other.getOutcome() != d.getOutcome() || !Objects.equals(other.getCode(), d.getCode())
                        : d.getOutcome() == Outcome.REJECTED;
                if (differs) {
                    contradictions++;
                    problems.add("contradicting results for " + id + ": " + d.getOutcome() + "/" + d.getCode() + " vs "
                            + other.getOutcome() + "/" + other.getCode());
                }
            }
            long completions = e.getValue().stream().filter(r -> r.getOutcome() == Outcome.COMPLETED).count();
            completed += (int) completions;
            if (completions > 1) {
                duplicates += (int) completions - 1;
                problems.add(completions + " COMPLETED results for " + id);
            }
            boolean leads = d.getOutcome() == Outcome.ACCEPTED && d.getJoinedRequestId() == null;
            if (leads) {
                accepted++;
            } else if (d.getOutcome() == Outcome.ACCEPTED) {
                joined++;
            } else {
                rejected.merge(String.valueOf(d.getCode()), 1, Integer::sum);
            }
            List<StopDirective> dirs = firstDirectives.getOrDefault(id, List.of());
            if (leads && dirs.isEmpty()) {
                problems.add("accepted " + id + " has no attempt-1 directive");
            } else if (leads && dirs.size() > 1) {
                duplicates += dirs.size() - 1;
                problems.add(dirs.size() + " attempt-1 directives for " + id);
            } else if (!leads && !dirs.isEmpty()) {
                problems.add("directive for " + id + " which was " + d.getOutcome() + "/" + d.getCode());
            }
            if (leads && !dirs.isEmpty() && !(Objects.equals(dirs.get(0).getJobId(), d.getJobId())
                    && Objects.equals(dirs.get(0).getClusterId(), d.getClusterId()))) {
                problems.add("directive of " + id + " names another job: " + dirs.get(0));
            }
            if (out.reports() != null && leads && !dirs.isEmpty()) {
                if (!acted.contains(dirs.get(0).getDirectiveId())) {
                    problems.add("directive " + dirs.get(0).getDirectiveId() + " of " + id + " never handled by a worker");
                } else if (completions == 0) {
                    problems.add("no COMPLETED result for " + id + " although its worker stopped the job");
                }
                if (acted.contains(dirs.get(0).getDirectiveId()) && out.observations() != null) {
                    List<JobObservation> obs = observedStops.getOrDefault(dirs.get(0).getDirectiveId(), List.of());
                    if (obs.isEmpty()) {
                        problems.add("no STOPPED job observation for " + id + "'s job although its worker stopped it");
                    } else if (obs.stream().anyMatch(o -> !Objects.equals(o.getJobId(), d.getJobId())
                            || !Objects.equals(o.getClusterId(), d.getClusterId()) || !Objects.equals(o.getAccountId(), d.getAccountId()))) {
                        problems.add("job observation of " + id + "'s directive names another job or account: " + obs.get(0));
                    }
                }
            }
            List<AuditRecord> as = auditDecisions.getOrDefault(id, List.of());
            if (as.isEmpty()) {
                problems.add("no DECISION audit record for " + id);
            } else {
                if (as.size() > 1) {
                    duplicates += as.size() - 1;
                    problems.add(as.size() + " DECISION audit records for " + id);
                }
                AuditRecord a = as.get(0);
                if (a.getOutcome() != d.getOutcome() || !Objects.equals(a.getCode(), d.getCode())) {
                    contradictions++;
                    problems.add("audit of " + id + " says " + a.getOutcome() + "/" + a.getCode() + ", result says "
                            + d.getOutcome() + "/" + d.getCode());
                }
            }
        }
        for (String id : firstDirectives.keySet()) {
            if (!results.containsKey(id)) {
                problems.add("directive for " + id + " without any result");
            }
        }
        for (String id : auditDecisions.keySet()) {
            if (!results.containsKey(id)) {
                problems.add("DECISION audit record for " + id + " without any result");
            }
        }
        return new Report(expected.size(), out.results().size(), decisions, accepted, joined, rejected, quotaPassed, attempt1, retried,
                out.reports() == null ? -1 : acted.size(), completed, auditCount, duplicates, contradictions, problems);
    }
}
