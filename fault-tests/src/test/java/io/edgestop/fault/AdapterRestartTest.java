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
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * An adapter under concurrent signed HTTP load (V1 and V3) is closed gracefully and a new instance
 * (new instance id) started on the same port. Every answer must be the caller's own: a 200 matches
 * exactly one ACCEPTED result for the same job, a JobNotFound matches its REJECTED result, and no
 * request that reached the old instance is left without an answer.
 */
@RealKafka
class AdapterRestartTest {

    static final int WORKERS = 32;      // each waits for its decision (~0.1-0.3 s with exactly_once_v2 commits)
    static final int CALLS_BEFORE_CLOSE = 1_000;
    static final int CALLS_AFTER_RESTART = 1_000;

    record Call(Scenario.Kind kind, String clusterId, String jobId, String sentTo, Http.Answer answer) {
    }

    @Test
    @Timeout(200)
    void gracefulRestartAnswersEveryRequestWithItsOwnResult(KafkaBroker broker, @TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = broker.bootstrapServers();
        Scenario s = new Scenario(broker.uniquePrefix(), 3_000);
        s.provision(bootstrap);
        s.seed(bootstrap);
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(s.orchestratorSettings(bootstrap,
                "fault-adapter-" + UUID.randomUUID().toString().substring(0, 8), tmp.resolve("state").toString())));
        InMemoryCredentialStore credentials = new InMemoryCredentialStore(List.of(Http.OK_ROOT));
        ApiAdapter a = ApiAdapter.start(adapterConfig(bootstrap, s, "adapter-a", 0), credentials);
        ApiAdapter b = null;
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)));
            await().atMost(Duration.ofSeconds(60)).until(a::ready);
            int port = a.port();
            StopJobClient client = new StopJobClient(a.baseUrl(), Http.AK, Http.SECRET);

            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            AtomicReference<String> target = new AtomicReference<>(a.instanceId());
            AtomicReference<CountDownLatch> restarted = new AtomicReference<>(new CountDownLatch(1));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger n = new AtomicInteger();
            for (int w = 0; w < WORKERS; w++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        int i = n.incrementAndGet();
                        Scenario.Kind kind = i % 5 < 3 ? Scenario.Kind.ACCEPT : Scenario.Kind.NOT_FOUND;
                        String cluster;
                        String job;
                        if (kind == Scenario.Kind.ACCEPT) {
                            int j = s.takeJob();
                            cluster = Scenario.clusterOf(j);
                            job = Scenario.jobId(j);
                        } else {
                            cluster = Scenario.clusterOf(i);
                            job = "absent-http-" + i;
                        }
                        String sentTo = target.get();
                        Http.Answer answer = Http.call(client, i % 2 == 0, cluster, job);
                        calls.add(new Call(kind, cluster, job, sentTo, answer));
                        if (answer.refused()) {
                            // the port is closed between the two instances: wait for the new one
                            restarted.get().await(60, TimeUnit.SECONDS);
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> calls.size() >= CALLS_BEFORE_CLOSE);
            int inFlightAtClose = a.pendingReplies();
            long closeStart = System.nanoTime();
            a.close();
            double closeSeconds = (System.nanoTime() - closeStart) / 1e9;
            int callsAtClose = calls.size();
            b = ApiAdapter.start(adapterConfig(bootstrap, s, "adapter-b", port), credentials);
            ApiAdapter bb = b;
            await().atMost(Duration.ofSeconds(60)).until(bb::ready);
            target.set(b.instanceId());
            restarted.get().countDown();
            await().atMost(Duration.ofSeconds(90)).until(() -> calls.size() >= callsAtClose + CALLS_AFTER_RESTART);
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(90, TimeUnit.SECONDS));
            System.out.printf("[adapter restart] adapter-a closed with %d requests waiting for Kafka, close took %.2f s;"
                    + " adapter-b on the same port %d%n", inFlightAtClose, closeSeconds, port);

            // --- what the callers saw
            Map<String, Integer> seen = new TreeMap<>();
            Map<String, Scenario.Kind> answered = new HashMap<>();
            List<Call> ok = new ArrayList<>();
            List<Call> serviceUnavailable = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            int refused = 0;
            for (Call c : calls) {
                Http.Answer ans = c.answer();
                if (ans.io() != null) {
                    if (ans.refused()) {
                        refused++;
                        seen.merge("connection refused", 1, Integer::sum);
                    } else {
                        seen.merge("no answer: " + ans.io().getClass().getSimpleName(), 1, Integer::sum);
                        problems.add("request to " + c.sentTo() + " got no answer: " + ans.io());
                    }
                    continue;
                }
                seen.merge(ans.status() + " " + (ans.code() == null ? "OK" : ans.code()) + (ans.status() == 503
                        ? " \"" + ans.message().substring(0, Math.min(45, ans.message().length())) + "...\"" : ""), 1, Integer::sum);
                if (ans.requestId() != null && answered.put(ans.requestId(), c.kind()) != null) {
                    problems.add("two answers carry RequestId " + ans.requestId());
                }
                if (ans.status() == 200) {
                    ok.add(c);
                    if (c.kind() != Scenario.Kind.ACCEPT || !c.jobId().equals(ans.jobId())) {
                        problems.add("200 for " + c + " names job " + ans.jobId());
                    }
                } else if (ans.status() == 503 && "ServiceUnavailable".equals(ans.code())) {
                    serviceUnavailable.add(c);
                    answered.remove(ans.requestId());
                } else if (!(ans.status() == 404 && "JobNotFound".equals(ans.code()) && c.kind() == Scenario.Kind.NOT_FOUND)) {
                    problems.add("unexpected answer for " + c + ": " + ans.status() + " " + ans.body());
                }
            }

            // --- what the results topic says about them
            Verifier.awaitDecisions(bootstrap, s, answered.keySet(), Duration.ofSeconds(60));
            Map<String, StopResult> decisions = new HashMap<>();
            for (ConsumerRecord<String, byte[]> rec : Outputs.readAll(bootstrap, List.of(s.topics.stopResults()))) {
                StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
                if (Verifier.isDecision(r)) {
                    decisions.put(r.getRequestId(), r);
                }
            }
            for (Call c : calls) {
                Http.Answer ans = c.answer();
                if (ans.io() != null || ans.requestId() == null || ans.status() == 503) {
                    continue;
                }
                StopResult r = decisions.get(ans.requestId());
                if (r == null || !Objects.equals(r.getJobId(), c.jobId()) || !Objects.equals(r.getClusterId(), c.clusterId())
                        || (ans.status() == 200) != (r.getOutcome() == Outcome.ACCEPTED)
                        || !(Objects.equals(r.getReplyTo(), "adapter-a") || Objects.equals(r.getReplyTo(), "adapter-b"))) {
                    problems.add("answer " + ans.status() + " " + ans.requestId() + " for " + c.clusterId() + "/" + c.jobId()
                            + " does not match its result " + r);
                }
            }
            int unavailableWithDecision = 0;
            for (Call c : serviceUnavailable) {
                if (c.answer().requestId() != null && decisions.containsKey(c.answer().requestId())) {
                    unavailableWithDecision++;
                }
            }
            Verifier.settle(bootstrap, s, Verifier.QUIET, Duration.ofSeconds(60));
            Verifier.Report r = Verifier.check(bootstrap, s, answered, true);
            System.out.printf("[adapter restart] calls=%d, answers=%s, 200=%d, 503 ServiceUnavailable=%d (of which %d"
                            + " decided anyway, result only on the topic), refused while the port was closed=%d%n",
                    calls.size(), seen, ok.size(), serviceUnavailable.size(), unavailableWithDecision, refused);
            System.out.printf("[adapter restart] %s (%.0f s)%n", r.line(), (System.nanoTime() - t0) / 1e9);
            problems.addAll(r.problems());
            assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(20, problems.size())));
            assertEquals(0, r.duplicates());
            assertTrue(ok.size() > CALLS_BEFORE_CLOSE / 2, "most calls succeed");
        } finally {
            pool.shutdownNow();
            a.close();
            if (b != null) {
                b.close();
            }
            orchestrator.close();
        }
    }

    static AdapterConfig adapterConfig(String bootstrap, Scenario s, String instanceId, int port) {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", bootstrap);
        m.put("topic.prefix", s.topics.prefix());
        m.put("http.host", "127.0.0.1");
        m.put("http.port", Integer.toString(port));
        m.put("instance.id", instanceId);
        m.put("reply.timeout.ms", "10000");
        return AdapterConfig.fromMap(m);
    }
}
