package io.edgestop.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.devtools.EmbeddedKafka;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * The only broker is shut down for a few seconds and started again on the same port with its data
 * (io.edgestop.devtools.EmbeddedKafka, resume=true) while the orchestrator, an adapter, an
 * idempotent producer and HTTP callers keep working. Nothing the producer sent is lost, nothing is
 * decided twice; the test prints what HTTP callers saw before, during and after the outage.
 */
class BrokerRestartTest {

    static final int RATE_PER_TICK = 4;     // every 20 ms: 200 commands/s
    static final int DOWN_AT = 1_200;       // about 6 s into the load
    static final int UNAVAILABLE_BEFORE_RESTART = 8;
    static final int SUCCEEDED_AFTER_RESTART = 10;
    static final int AFTER_RESTART = 1_500; // about 7 s of load after the restart
    static final int HTTP_CALLERS = 4;
    /**
     * Running jobs the load and the HTTP callers draw their accepted stops from. The load (40% accepts
     * at 200 commands/s) runs from before the outage until HTTP calls are decided again, and catches up
     * the ticks it missed during the outage in one burst: 4,400-7,000 commands, i.e. 1,800-2,800 jobs,
     * in our runs; up to about 8,000 jobs when HTTP calls are not decided again within 60 s. A pool
     * that runs dry stops the load and kills the callers (IllegalStateException in takeJob): with
     * 3,000 jobs that happened in some runs a few seconds after the restart, and looked like an
     * adapter answering no HTTP call with a decision for 60 s.
     */
    static final int JOBS = 12_000;
    /** The adapter's answer to a call it refused without publishing anything (the call's job stays free). */
    static final String NOT_PUBLISHED = "The service is starting or cannot reach Kafka";

    record Call(Scenario.Kind kind, String jobId, long startNanos, long endNanos, Http.Answer answer) {
    }

    /** Exactly-once across the restart; prints, but does not require, the adapter's recovery (see the next test). */
    @Test
    @Timeout(240)
    void brokerRestartLosesNothingAndDecidesNothingTwice(@TempDir Path tmp) throws Exception {
        scenario(tmp, false);
    }

    /** The same run, also requiring HTTP calls to get decisions again within 60 s after the broker is back. */
    @Test
    @Timeout(240)
    void adapterAnswersWithDecisionsAgainSoonAfterTheBrokerIsBack(@TempDir Path tmp) throws Exception {
        scenario(tmp, true);
    }

    private void scenario(Path tmp, boolean requireRecovery) throws Exception {
        long t0 = System.nanoTime();
        Path data = tmp.resolve("broker");
        EmbeddedKafka[] kafkaRef = {EmbeddedKafka.start(data, 0, false)};
        try {
            run(tmp, data, kafkaRef, t0, requireRecovery);
        } finally {
            kafkaRef[0].close();
        }
    }

    private void run(Path tmp, Path data, EmbeddedKafka[] kafkaRef, long t0, boolean requireRecovery) throws Exception {
        EmbeddedKafka kafka = kafkaRef[0];
        String bootstrap = kafka.bootstrapServers();
        Scenario s = new Scenario("br" + UUID.randomUUID().toString().substring(0, 6) + ".", JOBS);
        s.provision(bootstrap);
        s.seed(bootstrap);
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(s.orchestratorSettings(bootstrap,
                "fault-broker-" + UUID.randomUUID().toString().substring(0, 8), tmp.resolve("state").toString())));
        ApiAdapter adapter = ApiAdapter.start(AdapterRestartTest.adapterConfig(bootstrap, s, "broker-test-adapter", 0),
                new InMemoryCredentialStore(List.of(Http.OK_ROOT)));
        ExecutorService callers = Executors.newFixedThreadPool(HTTP_CALLERS);
        java.util.concurrent.ScheduledExecutorService[] samplerRef = {null};
        List<?>[] readinessRef = {null};
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        long downAt;
        long upAt;
        double downSeconds;
        double upSeconds;
        Load load = new Load(s, bootstrap);
        try {
            assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)));
            await().atMost(Duration.ofSeconds(60)).until(adapter::ready);
            StopJobClient client = new StopJobClient(adapter.baseUrl(), Http.AK, Http.SECRET);
            AtomicInteger n = new AtomicInteger();
            List<Future<?>> callerFutures = new ArrayList<>();
            for (int w = 0; w < HTTP_CALLERS; w++) {
                callerFutures.add(callers.submit(() -> {
                    int freeJob = -1; // a job whose stop the adapter refused without publishing: asked for again
                    while (!stop.get()) {
                        int i = n.incrementAndGet();
                        boolean accept = i % 2 == 0;
                        int j = !accept ? i : freeJob >= 0 ? freeJob : s.takeJob();
                        String job = accept ? Scenario.jobId(j) : "absent-http-" + i;
                        long start = System.nanoTime();
                        Http.Answer a = Http.call(client, i % 3 == 0, Scenario.clusterOf(j), job);
                        calls.add(new Call(accept ? Scenario.Kind.ACCEPT : Scenario.Kind.NOT_FOUND, job, start,
                                System.nanoTime(), a));
                        if (accept) {
                            freeJob = a.status() == 503 && a.message() != null && a.message().startsWith(NOT_PUBLISHED) ? j : -1;
                        }
                    }
                    return null;
                }));
            }
            // a caller that died (e.g. no job left) would look like an adapter that answers nothing: fail at once
            org.awaitility.core.ThrowingRunnable callersAlive = () -> {
                for (Future<?> f : callerFutures) {
                    if (f.isDone() && !stop.get()) {
                        f.get(); // throws the caller's failure
                        throw new AssertionError("an HTTP caller stopped");
                    }
                }
            };
            // adapter readiness transitions, for the report
            List<String> readiness = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            boolean[] last = {adapter.ready()};
            sampler.scheduleAtFixedRate(() -> {
                boolean now = adapter.ready();
                if (now != last[0]) {
                    last[0] = now;
                    readiness.add(String.format("%.1fs:%s", (System.nanoTime() - t0) / 1e9, now ? "ready" : "NOT ready"));
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            samplerRef[0] = sampler;
            readinessRef[0] = readiness;
            load.start(RATE_PER_TICK, 20);
            load.awaitSent(DOWN_AT, Duration.ofSeconds(60));

            downAt = System.nanoTime();
            kafka.close();
            downSeconds = (System.nanoTime() - downAt) / 1e9;
            int sentAtDown = load.sent.size();
            System.out.printf("[broker restart] broker down after %.1f s (%d commands sent)%n", (System.nanoTime() - t0) / 1e9, sentAtDown);
            // keep the broker down until HTTP callers have felt it: the adapter's producer gives up after its
            // max.block.ms (5 s) and answers 503; meanwhile the async producer's send() blocks on metadata
            long down = downAt;
            await("HTTP callers see the outage").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast("an HTTP caller died", callersAlive)
                    .until(() -> calls.stream().filter(c -> c.startNanos() > down && c.answer().status() == 503).count()
                            >= UNAVAILABLE_BEFORE_RESTART);
            System.out.printf("[broker restart] restarting after %.1f s (%d commands sent)%n", (System.nanoTime() - t0) / 1e9,
                    load.sent.size());
            long restartStart = System.nanoTime();
            kafka = EmbeddedKafka.start(data, 0, true);
            kafkaRef[0] = kafka;
            upAt = System.nanoTime();
            upSeconds = (upAt - restartStart) / 1e9;
            assertTrue(kafka.resumed(), "broker resumed its data");
            assertEquals(bootstrap, kafka.bootstrapServers(), "broker back on the same port");
            int sentAtUp = load.sent.size();
            long up = upAt;
            load.awaitSent(sentAtUp + AFTER_RESTART, Duration.ofSeconds(60));
            boolean recovered = true;
            try {
                await("HTTP calls succeed again after the restart").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100)).failFast("an HTTP caller died", callersAlive)
                        .until(() -> calls.stream().filter(c -> c.startNanos() > up && c.answer().status() != 503).count()
                                >= SUCCEEDED_AFTER_RESTART);
                long firstOk = calls.stream().filter(c -> c.startNanos() > up && c.answer().status() != 503)
                        .mapToLong(Call::endNanos).min().orElseThrow();
                System.out.printf("[broker restart] first HTTP call answered by a decision %.1f s after the broker was back%n",
                        (firstOk - upAt) / 1e9);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                recovered = false;
                System.out.println("[broker restart] HTTP calls did NOT succeed again within 60 s after the broker was back");
            }
            // the load draws from the same pool and would have stopped silently had it run dry
            try {
                s.takeJob();
            } catch (IllegalStateException e) {
                throw new AssertionError("the scenario ran out of jobs: the load stopped early (" + load.sent.size()
                        + " commands sent); raise JOBS", e);
            }
            load.stop();
            stop.set(true);
            callers.shutdown();
            assertTrue(callers.awaitTermination(90, TimeUnit.SECONDS));
            for (Future<?> f : callerFutures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new AssertionError("an HTTP caller failed", e.getCause());
                }
            }
            samplerRef[0].shutdown();
            System.out.printf("[broker restart] adapter readiness (s since test start): %s; broker down at %.1f s, back at %.1f s%n",
                    readinessRef[0], (downAt - t0) / 1e9, (upAt - t0) / 1e9);
            System.out.printf("[broker restart] broker shut down after %d commands (shutdown took %.1f s), down %.1f s,"
                            + " back on %s with its data after %d (start took %.1f s)%n", sentAtDown, downSeconds,
                    (upAt - downAt) / 1e9, bootstrap, sentAtUp, upSeconds);
            assertEquals(0, load.failed.get(), () -> "commands lost by the producer: " + load.firstFailure.get());

            Map<String, Scenario.Kind> expected = new HashMap<>(load.sent);
            Map<String, Map<String, Integer>> byPhase = new TreeMap<>();
            List<Call> unavailable = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Call c : calls) {
                Http.Answer a = c.answer();
                String phase = c.endNanos() < downAt ? "1 before" : c.startNanos() > upAt ? "3 after" : "2 during outage";
                String got = a.io() != null ? "no answer" : a.status() + " " + (a.code() == null ? "OK" : a.code())
                        + (a.status() == 503 ? " \"" + a.message().substring(0, Math.min(40, a.message().length())) + "...\"" : "");
                byPhase.computeIfAbsent(phase, x -> new TreeMap<>()).merge(got, 1, Integer::sum);
                if (a.io() != null) {
                    problems.add("HTTP call got no answer: " + a.io());
                } else if (a.status() == 200 && c.kind() == Scenario.Kind.ACCEPT && c.jobId().equals(a.jobId())) {
                    expected.put(a.requestId(), Scenario.Kind.ACCEPT);
                } else if (a.status() == 404 && "JobNotFound".equals(a.code()) && c.kind() == Scenario.Kind.NOT_FOUND) {
                    expected.put(a.requestId(), Scenario.Kind.NOT_FOUND);
                } else if (a.status() == 503 && "ServiceUnavailable".equals(a.code())) {
                    unavailable.add(c);
                } else {
                    problems.add("unexpected HTTP answer for " + c.kind() + " " + c.jobId() + ": " + a.status() + " " + a.body());
                }
            }
            long loadDone = System.nanoTime();
            Verifier.awaitDecisions(bootstrap, s, expected.keySet(), Duration.ofSeconds(150));
            System.out.printf("[broker restart] every command decided %.1f s after the load stopped%n",
                    (System.nanoTime() - loadDone) / 1e9);
            Map<String, StopResult> decisions = new HashMap<>();
            for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopResults()))) {
                StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
                if (Verifier.isDecision(r)) {
                    decisions.put(r.getRequestId(), r);
                }
            }
            int unavailableDecided = 0;
            for (Call c : unavailable) {
                if (c.answer().requestId() != null && decisions.containsKey(c.answer().requestId())) {
                    unavailableDecided++;
                }
            }
            Verifier.settle(bootstrap, s, Verifier.QUIET, Duration.ofSeconds(60));
            Verifier.Report r = Verifier.check(bootstrap, s, expected, true);
            System.out.printf("[broker restart] HTTP answers by phase: %s; 503 answers later decided anyway (result only on"
                    + " the topic): %d of %d%n", byPhase, unavailableDecided, unavailable.size());
            System.out.printf("[broker restart] %s; async commands=%d, producer failures=%d; orchestrator %s (%.0f s)%n",
                    r.line(), load.sent.size(), load.failed.get(), orchestrator.state(), (System.nanoTime() - t0) / 1e9);
            problems.addAll(r.problems());
            assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(20, problems.size())));
            assertEquals(0, r.duplicates());
            // a rebalance may follow the broker's restart and still be under way when the checks end
            Orchestrator decider = orchestrator;
            await("the orchestrator RUNNING").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> decider.state() == KafkaStreams.State.RUNNING);
            assertTrue(recovered || !requireRecovery, "the adapter answered no HTTP call with a decision within 60 s after the broker was back"
                    + " (adapter ready=" + adapter.ready() + "); answers after the restart: " + byPhase.get("3 after"));
        } finally {
            stop.set(true);
            callers.shutdownNow();
            if (samplerRef[0] != null) {
                samplerRef[0].shutdownNow();
            }
            load.close();
            adapter.close();
            orchestrator.close();
        }
    }
}
