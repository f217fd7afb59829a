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

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
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
 * <li>the audit stream has exactly one DECISION record per decided command, agreeing with its result.</li>
 * </ol>
 */
final class Verifier {

    /** What the output topics hold. */
    record Report(int commands, int results, int decisions, int accepted, Map<String, Integer> rejectedByCode,
                  int directivesAttempt1, int auditDecisions, int duplicates, int contradictions, List<String> problems) {

        String line() {
            return "commands=" + commands + ", results=" + results + ", decisions=" + decisions + ", accepted=" + accepted
                    + ", rejected=" + rejectedByCode + ", directives(attempt 1)=" + directivesAttempt1
                    + ", audit decisions=" + auditDecisions + ", duplicates=" + duplicates
                    + ", contradictions=" + contradictions;
        }

        String problemText() {
            return problems.size() + " problem(s), first ones: " + problems.subList(0, Math.min(25, problems.size()));
        }
    }

    private Verifier() {
    }

    /** Where the commands without a decision left traces: the topics read uncommitted, and the dead letters. */
    private static String whereAreThey(String bootstrap, Scenario s, Set<String> missing) {
        Map<String, Integer> seen = new TreeMap<>();
        java.util.Properties p = Outputs.consumerProps(bootstrap);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        for (String topic : List.of(s.topics.stopCommands(), s.topics.stopResults(), s.topics.audit(), s.topics.deadLetter())) {
            for (ConsumerRecord<String, byte[]> r : Outputs.readAll(p, List.of(topic))) {
                String text = r.value() == null ? "" : new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String id : missing) {
                    if (text.contains(id)) {
                        seen.merge(topic + (topic.equals(s.topics.stopCommands()) ? "@" + r.partition() + ":" + r.offset() : ""), 1,
                                Integer::sum);
                        if (topic.equals(s.topics.audit()) && seen.get(topic) <= 2) {
                            System.out.println("[verifier] audit of a command without a decision: " + r.partition() + "@" + r.offset()
                                    + " ts=" + r.timestamp() + " " + AvroSerdes.auditRecord().deserialize(topic, r.value()));
                        }
                        break;
                    }
                }
            }
        }
        return "read uncommitted, records naming them: " + seen;
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
     * @param expected      the commands whose decision is known in advance (kind null: any decision)
     * @param allowUnknown  whether results of request ids not in {@code expected} may exist (HTTP calls
     *                      whose answer the caller never saw); they are still checked for duplicates
     */
    static Report check(String bootstrap, Scenario s, Map<String, Scenario.Kind> expected, boolean allowUnknown) {
        List<String> problems = new ArrayList<>();
        Map<String, List<StopResult>> results = new HashMap<>();
        int resultCount = 0;
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopResults()))) {
            StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
            resultCount++;
            if (!Objects.equals(rec.key(), r.getRequestId())) {
                problems.add("result keyed " + rec.key() + " is for " + r.getRequestId());
            }
            results.computeIfAbsent(r.getRequestId(), k -> new ArrayList<>()).add(r);
        }
        Map<String, List<StopDirective>> firstDirectives = new HashMap<>();
        int attempt1 = 0;
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, Outputs.directiveTopics(s))) {
            StopDirective d = AvroSerdes.stopDirective().deserialize(rec.topic(), rec.value());
            if (!rec.topic().equals(s.topics.directives(d.getClusterId()))) {
                problems.add("directive " + d.getDirectiveId() + " for cluster " + d.getClusterId() + " on " + rec.topic());
            }
            if (d.getAttempt() == 1) {
                attempt1++;
                firstDirectives.computeIfAbsent(d.getRequestId(), k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, List<AuditRecord>> auditDecisions = new HashMap<>();
        int auditCount = 0;
        for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.audit()))) {
            AuditRecord a = AvroSerdes.auditRecord().deserialize(rec.topic(), rec.value());
            if (a.getEventType() == AuditEventType.DECISION) {
                auditCount++;
                auditDecisions.computeIfAbsent(a.getRequestId(), k -> new ArrayList<>()).add(a);
            }
        }

        int duplicates = 0;
        int contradictions = 0;
        int decisions = 0;
        int accepted = 0;
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
                problems.add(ds.size() + " decision results for " + id);
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
            boolean leads = d.getOutcome() == Outcome.ACCEPTED && d.getJoinedRequestId() == null;
            if (d.getOutcome() == Outcome.ACCEPTED) {
                accepted++;
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
        return new Report(expected.size(), resultCount, decisions, accepted, rejected, attempt1, auditCount, duplicates,
                contradictions, problems);
    }
}
