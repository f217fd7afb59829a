package io.edgestop.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * An adapter in its own JVM ({@code edge-stop adapter}, credentials from a file) serves
 * 32 concurrent signed HTTP callers (V1 and V3) and is killed with SIGKILL under that load: no graceful
 * close, the requests waiting for their decision just lose their connection. A new adapter JVM (new
 * instance id) is then started on the same port, as a supervisor would restart it behind a fixed address.
 *
 * <p>Checked: no caller ever gets a wrong answer (every 200 and 404 matches the caller's own result,
 * for its job, addressed to the instance that answered); requests in flight at the kill get a
 * connection error, never an HTTP answer; some of them are decided anyway (their result is only on the
 * topic); every caller left without an answer retries with a new request on the same job and gets a
 * decision (a stop decided without an answer is joined, not repeated); every job has at most one
 * attempt-1 directive; and the {@link Verifier} invariants hold on the output topics.
 */
@RealKafka
class AdapterKillTest {

    static final int WORKERS = 32;
    static final int CALLS_BEFORE_KILL = 400;
    static final int CALLS_AFTER_RESTART = 400;
    static final int MAX_RETRIES = 5;
    static final String A = "adapter-a";
    static final String B = "adapter-b";

    /** One HTTP call; {@code retry} is 0 for a new request, n for the n-th retry of an unanswered one on the same job. */
    record Call(Scenario.Kind kind, String clusterId, String jobId, boolean v3, int retry, long startNanos, long endNanos,
                Http.Answer answer) {

        boolean decisionAnswer() {
            return answer.io() == null && (answer.status() == 200 || answer.status() == 404);
        }
    }

    @Test
    @Timeout(240)
    void sigkilledAdapterAnswersNothingWrongAndRetriesAreAnsweredWithoutASecondStop(KafkaBroker broker, @TempDir Path tmp)
            throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = broker.bootstrapServers();
        Scenario s = new Scenario(broker.uniquePrefix(), 3_000);
        s.provision(bootstrap);
        s.seed(bootstrap);
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(s.orchestratorSettings(bootstrap,
                "fault-adapter-kill-" + UUID.randomUUID().toString().substring(0, 8), tmp.resolve("state").toString())));
        Path credentials = tmp.resolve("credentials.json");
        Files.writeString(credentials, "{\"credentials\":[{\"accessKeyId\":\"" + Http.AK + "\",\"accessKeySecret\":\""
                + Http.SECRET + "\",\"accountId\":\"" + Scenario.OK + "\",\"principal\":\"" + Scenario.root(Scenario.OK) + "\"}]}");
        int port = freePort();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        String run = s.topics.prefix().replaceAll("[^A-Za-z0-9-]", "");
        ChildJvm a = startAdapter(bootstrap, s, A, port, credentials, run);
        ChildJvm b = null;
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)), "orchestrator RUNNING");
            awaitReady(a, base);
            System.out.printf("[adapter SIGKILL] orchestrator RUNNING, %s (pid %d) ready on port %d after %.1f s%n",
                    A, a.pid(), port, (System.nanoTime() - t0) / 1e9);
            StopJobClient client = new StopJobClient(base, Http.AK, Http.SECRET);

            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            CountDownLatch restarted = new CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger n = new AtomicInteger();
            AtomicInteger waiting = new AtomicInteger();
            for (int w = 0; w < WORKERS; w++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        int i = n.incrementAndGet();
                        Scenario.Kind kind = i % 5 < 3 ? Scenario.Kind.ACCEPT : Scenario.Kind.NOT_FOUND;
                        int j = kind == Scenario.Kind.ACCEPT ? s.takeJob() : i;
                        String cluster = Scenario.clusterOf(j);
                        String job = kind == Scenario.Kind.ACCEPT ? Scenario.jobId(j) : "absent-http-" + i;
                        boolean v3 = i % 2 == 0;
                        waiting.incrementAndGet();
                        long start = System.nanoTime();
                        Http.Answer answer = Http.call(client, v3, cluster, job);
                        waiting.decrementAndGet();
                        calls.add(new Call(kind, cluster, job, v3, 0, start, System.nanoTime(), answer));
                        // what a client does when its call broke off: wait for the service, then ask again,
                        // with a new request (new nonce, new RequestId) for the same job
                        for (int r = 1; answer.io() != null || answer.status() == 503; r++) {
                            if (r > MAX_RETRIES || !restarted.await(120, TimeUnit.SECONDS)) {
                                break;
                            }
                            start = System.nanoTime();
                            answer = Http.call(client, v3, cluster, job);
                            calls.add(new Call(kind, cluster, job, v3, r, start, System.nanoTime(), answer));
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> calls.size() >= CALLS_BEFORE_KILL);
            // kill while most callers wait for their decision
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> waiting.get() >= WORKERS * 3 / 4);
            int pendingInA = pendingReplies(base);
            int waitingAtKill = waiting.get();
            long pid = a.pid();
            long killStart = System.nanoTime();
            int exit = a.kill();
            long killedAt = System.nanoTime();
            int callsAtKill = calls.size();
            assertEquals(ChildJvm.SIGKILL_EXIT, exit, "destroyForcibly() must be SIGKILL (exit 128+9)");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            b = startAdapter(bootstrap, s, B, port, credentials, run);
            awaitReady(b, base);
            long readyAt = System.nanoTime();
            restarted.countDown();
            int callsAtRestart = calls.size();
            await().atMost(Duration.ofSeconds(120)).until(() -> calls.size() >= callsAtRestart + CALLS_AFTER_RESTART);
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(90, TimeUnit.SECONDS), "callers finish");
            System.out.printf("[adapter SIGKILL] %s (pid %d) killed after %d calls with %d callers waiting (%d requests"
                            + " waiting for Kafka by its metrics just before), exit %d (SIGKILL), kill took %.2f s;"
                            + " %s (new JVM, pid %d) ready on the same port %.1f s after the kill%n", A, pid, callsAtKill,
                    waitingAtKill, pendingInA, exit, (killedAt - killStart) / 1e9, B, b.pid(), (readyAt - killedAt) / 1e9);

            // --- what the topics hold, by job (every call has a job of its own; retries share their call's job)
            Map<String, List<StopResult>> resultsByJob = new HashMap<>();
            Map<String, StopResult> decisionById = new HashMap<>();
            for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopResults()))) {
                StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
                if (Verifier.isDecision(r)) {
                    resultsByJob.computeIfAbsent(r.getClusterId() + "/" + r.getJobId(), k -> new ArrayList<>()).add(r);
                    decisionById.putIfAbsent(r.getRequestId(), r);
                }
            }
            Map<String, Integer> firstDirectivesByJob = new HashMap<>();
            for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, Outputs.directiveTopics(s))) {
                StopDirective d = AvroSerdes.stopDirective().deserialize(rec.topic(), rec.value());
                if (d.getAttempt() == 1) {
                    firstDirectivesByJob.merge(d.getClusterId() + "/" + d.getJobId(), 1, Integer::sum);
                }
            }

            // --- what the callers saw
            List<String> problems = new ArrayList<>();
            Map<String, Integer> seen = new TreeMap<>();
            Map<String, Scenario.Kind> expected = new HashMap<>();
            Set<String> jobsAsked = new HashSet<>();
            Map<String, List<Call>> retriesByJob = new HashMap<>();
            List<Call> inFlight = new ArrayList<>();
            Map<String, Integer> inFlightErrors = new TreeMap<>();
            List<Call> unanswered = new ArrayList<>();
            int refusedAfterKill = 0;
            int ok = 0;
            for (Call c : calls) {
                String job = c.clusterId() + "/" + c.jobId();
                jobsAsked.add(job);
                Http.Answer ans = c.answer();
                if (c.retry() > 0) {
                    retriesByJob.computeIfAbsent(job, k -> new ArrayList<>()).add(c);
                }
                if (ans.io() != null) {
                    String what = ans.refused() ? "connection refused" : "connection error: " + ans.io().getClass().getSimpleName();
                    seen.merge(what, 1, Integer::sum);
                    if (c.startNanos() > readyAt) {
                        problems.add("call to the restarted adapter got no answer: " + c + " " + ans.io());
                    } else if (c.retry() == 0 && c.startNanos() < killedAt) {
                        inFlight.add(c);
                        unanswered.add(c);
                        inFlightErrors.merge((c.v3() ? "V3 POST " : "V1 GET ") + (ans.refused() ? "connection refused"
                                : ans.io().getClass().getSimpleName() + " \"" + ans.io().getMessage() + "\""), 1, Integer::sum);
                    } else {
                        if (!ans.refused()) {
                            problems.add("call after the kill failed other than refused: " + c + " " + ans.io());
                        }
                        if (c.retry() == 0) {
                            refusedAfterKill++;
                            unanswered.add(c);
                        }
                    }
                    continue;
                }
                String message = String.valueOf(ans.message());
                seen.merge(ans.status() + " " + (ans.code() == null ? "OK" : ans.code()) + (ans.status() == 503
                        ? " \"" + message.substring(0, Math.min(45, message.length())) + "...\"" : ""), 1, Integer::sum);
                String instance = c.startNanos() < killedAt ? A : B; // B's port opens only after A is dead
                if (ans.status() == 503 && "ServiceUnavailable".equals(ans.code())) {
                    if (ans.requestId() != null && decisionById.containsKey(ans.requestId())) {
                        expected.put(ans.requestId(), null);
                    }
                    continue;
                }
                if (ans.requestId() == null || expected.containsKey(ans.requestId())) {
                    problems.add("answer without a RequestId of its own: " + c);
                    continue;
                }
                boolean right = c.kind() == Scenario.Kind.ACCEPT ? ans.status() == 200 && c.jobId().equals(ans.jobId())
                        : ans.status() == 404 && "JobNotFound".equals(ans.code());
                StopResult r = decisionById.get(ans.requestId());
                if (!right) {
                    problems.add("wrong answer for " + c);
                } else if (r == null || !Objects.equals(r.getJobId(), c.jobId()) || !Objects.equals(r.getClusterId(), c.clusterId())
                        || (ans.status() == 200) != (r.getOutcome() == Outcome.ACCEPTED)
                        || !Objects.equals(r.getReplyTo(), instance)) {
                    problems.add("answer " + ans.status() + " " + ans.requestId() + " for " + job + " from " + instance
                            + " does not match its result " + r);
                }
                if (ans.status() == 200) {
                    ok++;
                }
                // retries of an ACCEPT call may join the stop their unanswered request started: checked below
                expected.put(ans.requestId(), c.retry() > 0 ? null : c.kind());
            }

            // --- the requests that got no answer: decided anyway or never published, and their retries
            int decidedAnyway = 0;
            int inFlightDecided = 0;
            int joined = 0;
            int newStops = 0;
            int rejectedRetries = 0;
            for (Call c : unanswered) {
                String job = c.clusterId() + "/" + c.jobId();
                List<StopResult> fromA = resultsByJob.getOrDefault(job, List.of()).stream()
                        .filter(r -> A.equals(r.getReplyTo())).toList();
                StopResult original = null;
                if (fromA.size() > 1) {
                    problems.add("one unanswered call, " + fromA.size() + " decisions from " + A + ": " + fromA);
                } else if (fromA.size() == 1) {
                    original = fromA.get(0);
                    decidedAnyway++;
                    if (inFlight.contains(c)) {
                        inFlightDecided++;
                    } else {
                        problems.add("a call started after the kill was decided with replyTo " + A + ": " + c);
                    }
                    expected.put(original.getRequestId(), c.kind());
                }
                List<Call> retries = retriesByJob.getOrDefault(job, List.of());
                Call last = retries.isEmpty() ? null : retries.get(retries.size() - 1);
                if (last == null || !last.decisionAnswer()) {
                    problems.add("the retries of an unanswered call got no decision: " + c + " -> " + retries);
                    continue;
                }
                StopResult retried = decisionById.get(last.answer().requestId());
                if (retried == null) {
                    continue; // reported above
                }
                if (c.kind() == Scenario.Kind.NOT_FOUND) {
                    rejectedRetries++;
                } else if (original != null) {
                    if (!(original.getOutcome() == Outcome.ACCEPTED && original.getJoinedRequestId() == null
                            && retried.getOutcome() == Outcome.ACCEPTED
                            && original.getRequestId().equals(retried.getJoinedRequestId()))) {
                        problems.add("retry " + retried + " did not join the stop decided without an answer " + original);
                    }
                    joined++;
                } else {
                    if (!(retried.getOutcome() == Outcome.ACCEPTED && retried.getJoinedRequestId() == null)) {
                        problems.add("retry of a request never published is not a new stop: " + retried);
                    }
                    newStops++;
                }
            }

            // --- per job: at most one attempt-1 directive, exactly one for every job with an ACCEPTED decision
            int secondDirectives = 0;
            for (Map.Entry<String, List<StopResult>> e : resultsByJob.entrySet()) {
                if (!jobsAsked.contains(e.getKey())) {
                    problems.add("results for a job no caller asked about: " + e.getKey());
                }
                boolean acceptedJob = e.getValue().stream().anyMatch(r -> r.getOutcome() == Outcome.ACCEPTED);
                int dirs = firstDirectivesByJob.getOrDefault(e.getKey(), 0);
                if (dirs > 1) {
                    secondDirectives += dirs - 1;
                    problems.add(dirs + " attempt-1 directives for job " + e.getKey());
                } else if (acceptedJob != (dirs == 1)) {
                    problems.add("job " + e.getKey() + " accepted=" + acceptedJob + " has " + dirs + " attempt-1 directives");
                }
            }

            Verifier.settle(bootstrap, s, Verifier.QUIET, Duration.ofSeconds(60));
            Verifier.Report r = Verifier.check(bootstrap, s, expected, true);
            int retriesSent = retriesByJob.values().stream().mapToInt(List::size).sum();
            System.out.printf("[adapter SIGKILL] calls=%d, answers=%s, 200=%d%n", calls.size(), seen, ok);
            System.out.printf("[adapter SIGKILL] in flight at the kill (sent before it, no HTTP answer): %d, of which decided"
                            + " anyway (result only on the topic, key RequestId): %d; refused after the kill: %d, decided: %d%n",
                    inFlight.size(), inFlightDecided, refusedAfterKill, decidedAnyway - inFlightDecided);
            System.out.printf("[adapter SIGKILL] what the callers in flight saw: %s%n", inFlightErrors);
            System.out.printf("[adapter SIGKILL] the %d unanswered callers retried (%d requests, new RequestIds, same jobs):"
                            + " 200 joining the stop decided without an answer=%d, 200 new stop=%d, 404 JobNotFound=%d;"
                            + " second attempt-1 directives for a job=%d%n", unanswered.size(), retriesSent, joined, newStops,
                    rejectedRetries, secondDirectives);
            System.out.printf("[adapter SIGKILL] %s; orchestrator %s (%.0f s)%n", r.line(), orchestrator.state(),
                    (System.nanoTime() - t0) / 1e9);
            problems.addAll(r.problems());
            assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(20, problems.size())));
            assertEquals(0, r.duplicates());
            assertEquals(0, r.contradictions());
            assertFalse(inFlight.isEmpty(), "some requests were in flight at the kill");
            assertEquals(unanswered.size(), joined + newStops + rejectedRetries, "every unanswered caller got a decision on retry");
            assertTrue(ok > CALLS_BEFORE_KILL / 2, "most calls succeed");
            assertEquals(KafkaStreams.State.RUNNING, orchestrator.state());
            assertTrue(b.alive(), "restarted adapter still running");
        } finally {
            pool.shutdownNow();
            a.close();
            if (b != null) {
                b.close();
            }
            orchestrator.close();
        }
    }

    static ChildJvm startAdapter(String bootstrap, Scenario s, String instanceId, int port, Path credentials, String run)
            throws IOException {
        return ChildJvm.start(instanceId, EdgeStopCli.class.getName(), List.of("adapter",
                        "--bootstrap-servers", bootstrap,
                        "--topic-prefix", s.topics.prefix(),
                        "--http-host", "127.0.0.1",
                        "--http-port", Integer.toString(port),
                        "--instance-id", instanceId,
                        "--credentials-file", credentials.toString(),
                        "--reply-timeout-ms", "10000"),
                ChildJvm.logFile(run + "-" + instanceId + ".log"), "256m", "child-logback.xml");
    }

    /** Waits for {@code edge-stop adapter}'s "listening" line, then for /readyz to answer 200 (reply path positioned). */
    static void awaitReady(ChildJvm adapter, URI base) throws IOException {
        adapter.awaitLine("listening on", Duration.ofSeconds(120));
        await("adapter /readyz 200").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!adapter.alive()) {
                        throw new AssertionError("adapter exited: " + adapter.logTail());
                    }
                    Http.Answer r = Http.get(base.resolve("/readyz"));
                    return r.io() == null && r.status() == 200;
                });
    }

    /** The adapter's edgestop_adapter_pending_replies gauge (requests waiting for their decision), -1 if unreadable. */
    static int pendingReplies(URI base) {
        Http.Answer m = Http.get(base.resolve("/metrics"));
        if (m.io() != null || m.body() == null) {
            return -1;
        }
        for (String line : m.body().split("\n")) {
            if (line.startsWith("edgestop_adapter_pending_replies")) {
                return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
