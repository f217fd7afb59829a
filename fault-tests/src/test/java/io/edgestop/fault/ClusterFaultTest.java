package io.edgestop.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.edge.EdgeWorker;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.SimulatedJobController;
import io.edgestop.fault.KafkaCluster.Component;

/**
 * The whole system on a three-broker KRaft cluster ({@link KafkaCluster}: replication factor 3,
 * {@code min.insync.replicas=2} for every topic, internal ones included), under steady load: 25 async
 * commands/s from an idempotent producer and 5 signed HTTP calls/s on the adapter (half of what the decisions
 * kept up with before any fault: three brokers, the orchestrator and the test share two cores, where each
 * exactly-once commit takes a few hundred milliseconds; docs/reliability.md). The orchestrator runs
 * in its own JVM (log under target/fault-logs), the adapter and one edge worker per cluster in this one;
 * each of the three reaches the brokers through its own {@link TcpProxy} per broker.
 *
 * <p>The faults run one after the other on the same cluster (start-up is shared; each phase checks
 * what it needs of the state the previous one left: all replicas in sync, the orchestrator alive):
 * <ol>
 * <li>SIGKILL of the broker leading partitions of stop-commands and stop-results, then its restart;</li>
 * <li>a rolling restart (SIGTERM, start, wait until every partition is fully in sync) of all three;</li>
 * <li>SIGKILL of the active controller, then its restart;</li>
 * <li>one network phase: the orchestrator's connections cut for 30 s, then the adapter's, then the edge
 *     workers', then a slow link (latency, small bandwidth) on every component's path for 30 s; after each
 *     of the four, every component must make progress again within {@link #RECOVERY_BOUND}.</li>
 * </ol>
 * After each phase, once the output topics settled: the {@link Verifier} invariants over everything so far
 * (the throttled account's quota exactly, every attempt-1 directive acted on by a worker by its id, one
 * COMPLETED per such stop), no acknowledged async command without its decision, every HTTP caller answered
 * with a decision or a 503 (safe to retry: a stop in flight is joined, not repeated), and every call that
 * timed out waiting decided anyway; printed with the
 * longest time each component went without progress and how long after the fault it resumed.
 */
@Tag("cluster") // runs alone, after the other fault tests (fault-tests/pom.xml)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest {

    static final int ASYNC_PER_TICK = 1;
    static final long ASYNC_TICK_MS = 40;                       // 25 commands/s
    static final long HTTP_TICK_MS = 200;                       // 5 calls/s
    static final int BEFORE = 100;                              // async commands before a fault (about 4 s)
    static final int AFTER = 100;                               // and after it
    static final Duration CUT = Duration.ofSeconds(30);
    static final Duration STALL = Duration.ofSeconds(3);        // no progress this long: the cut is in effect
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(60); // after a fault, each component resumes within
    static final Duration QUICK_503 = Duration.ofSeconds(1);    // an unready adapter answers within

    private KafkaCluster cluster;
    private Scenario s;
    private ChildJvm orchestrator;
    private ApiAdapter adapter;
    private final List<EdgeWorker> workers = new ArrayList<>();
    /** Every command of every phase so far whose decision is known (async ones, HTTP ones answered with it). */
    private final Map<String, Scenario.Kind> expected = new ConcurrentHashMap<>();
    private long t0;

    @BeforeAll
    @Timeout(300)
    void startSystem(@TempDir Path tmp) throws Exception {
        t0 = System.nanoTime();
        String run = "cl" + UUID.randomUUID().toString().substring(0, 6);
        cluster = new KafkaCluster(tmp.resolve("cluster"), run);
        double clusterUp = (System.nanoTime() - t0) / 1e9;
        s = new Scenario(run + ".", 15_000);
        s.provision(cluster.bootstrap(), (short) KafkaCluster.NODES);
        s.seed(cluster.bootstrap());
        Map<String, String> settings = s.orchestratorSettings(cluster.bootstrap(Component.ORCHESTRATOR),
                "fault-cluster-" + UUID.randomUUID().toString().substring(0, 8), tmp.resolve("state").toString());
        settings.put("replication.factor", Integer.toString(KafkaCluster.NODES));
        orchestrator = OrchestratorKillTest.startChild(settings, run + "-orchestrator.log");
        adapter = ApiAdapter.start(AdapterConfig.fromMap(Map.of("bootstrap.servers", cluster.bootstrap(Component.ADAPTER),
                "topic.prefix", s.topics.prefix(), "http.host", "127.0.0.1", "http.port", "0",
                "instance.id", "adapter-cluster", "reply.timeout.ms", "10000")), new InMemoryCredentialStore(List.of(Http.OK_ROOT)));
        for (String c : Scenario.CLUSTERS) {
            workers.add(EdgeWorker.start(EdgeWorkerConfig.of(cluster.bootstrap(Component.WORKER), s.topics.prefix(), c),
                    new SimulatedJobController(Duration.ofMillis(5), 0.0, 42, true, Clock.systemUTC())));
        }
        orchestrator.awaitLine(OrchestratorKillTest.ORCHESTRATOR_RUNNING, Duration.ofSeconds(180));
        await("adapter ready").atMost(Duration.ofSeconds(120)).until(adapter::ready);
        for (EdgeWorker w : workers) {
            assertTrue(w.awaitAssigned(Duration.ofSeconds(120)), "edge worker assigned");
        }
        System.out.printf("[cluster] 3 brokers up after %.1f s; topics (replication 3, min ISR 2), seed, orchestrator"
                + " (pid %d), adapter and 3 edge workers ready after %.1f s%n", clusterUp, orchestrator.pid(),
                (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopSystem() {
        workers.forEach(EdgeWorker::close);
        if (adapter != null) {
            adapter.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(0)
    @Timeout(60)
    void everyTopicHasThreeReplicasAndMinInsyncTwo() throws Exception {
        var admin = cluster.admin();
        var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        Map<String, String> wrong = new TreeMap<>();
        var descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        descriptions.forEach((name, d) -> {
            int replicas = d.partitions().get(0).replicas().size();
            String minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).get("min.insync.replicas").value();
            if (replicas != 3 || !"2".equals(minIsr)) {
                wrong.put(name, "replicas=" + replicas + " min.insync.replicas=" + minIsr);
            }
        });
        long ours = names.stream().filter(n -> n.startsWith(s.topics.prefix())).count();
        long streams = names.stream().filter(n -> n.contains("-changelog") || n.contains("-repartition")).count();
        System.out.printf("[cluster] %d topics (%d of the system, %d Kafka Streams internal, __consumer_offsets,"
                + " __transaction_state): not replication 3 / min ISR 2: %s%n", names.size(), ours, streams, wrong);
        assertTrue(names.contains("__consumer_offsets") && names.contains("__transaction_state"), names.toString());
        assertTrue(streams > 0, "Kafka Streams created its changelogs: " + names);
        assertTrue(wrong.isEmpty(), wrong.toString());
    }

    @Test
    @Order(1)
    @Timeout(300)
    void sigkillOfTheLeaderOfCommandsAndResults() throws Exception {
        phase("leader SIGKILL", p -> {
            List<String> both = List.of(s.topics.stopCommands(), s.topics.stopResults());
            Map<String, List<Integer>> leaders = cluster.leaders(both);
            int victim = leaders.get(s.topics.stopCommands()).get(0);
            long ledCommands = leaders.get(s.topics.stopCommands()).stream().filter(l -> l == victim).count();
            long ledResults = leaders.get(s.topics.stopResults()).stream().filter(l -> l == victim).count();
            long killAt = System.nanoTime();
            int exit = cluster.kill(victim);
            assertEquals(ChildJvm.SIGKILL_EXIT, exit, "SIGKILL");
            await("new leaders for the partitions node " + victim + " led").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> cluster.leaders(both).values().stream().flatMap(List::stream)
                            .allMatch(l -> l != victim && l != -1));
            double elected = (System.nanoTime() - killAt) / 1e9;
            p.awaitMoreLoad(); // the system runs on two brokers for a while
            cluster.restart(victim);
            double back = (System.nanoTime() - killAt) / 1e9;
            Duration sync = cluster.awaitFullyInSync(Duration.ofSeconds(120));
            return String.format("node %d (led %d/%d partitions of stop-commands, %d/%d of stop-results) SIGKILLed,"
                    + " new leaders after %.1f s, restarted after %.1f s, fully in sync %.1f s later", victim, ledCommands,
                    Scenario.PARTITIONS, ledResults, Scenario.PARTITIONS, elected, back, sync.toMillis() / 1e3);
        });
    }

    @Test
    @Order(2)
    @Timeout(360)
    void rollingRestartOfAllThreeBrokers() throws Exception {
        phase("rolling restart", p -> {
            StringBuilder what = new StringBuilder("rolling restart (SIGTERM, start, fully in sync):");
            for (int id = 1; id <= KafkaCluster.NODES; id++) {
                long t = System.nanoTime();
                int exit = cluster.stop(id);
                double down = (System.nanoTime() - t) / 1e9;
                cluster.restart(id);
                double up = (System.nanoTime() - t) / 1e9;
                Duration sync = cluster.awaitFullyInSync(Duration.ofSeconds(120));
                what.append(String.format(" node %d exit %d after %.1f s, up %.1f s, in sync %.1f s;", id, exit, down, up,
                        sync.toMillis() / 1e3));
            }
            return what.toString();
        });
    }

    @Test
    @Order(3)
    @Timeout(300)
    void sigkillOfTheActiveController() throws Exception {
        phase("controller SIGKILL", p -> {
            int controller = cluster.activeController();
            long killAt = System.nanoTime();
            assertEquals(ChildJvm.SIGKILL_EXIT, cluster.kill(controller), "SIGKILL");
            int[] next = {-1};
            await("a new active controller").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                next[0] = cluster.activeController();
                return next[0] != controller && next[0] > 0;
            });
            double elected = (System.nanoTime() - killAt) / 1e9;
            p.awaitMoreLoad();
            cluster.restart(controller);
            double back = (System.nanoTime() - killAt) / 1e9;
            Duration sync = cluster.awaitFullyInSync(Duration.ofSeconds(120));
            return String.format("active controller node %d SIGKILLed, node %d active after %.1f s, restarted after %.1f s,"
                    + " fully in sync %.1f s later", controller, next[0], elected, back, sync.toMillis() / 1e3);
        });
    }

    @Test
    @Order(4)
    @Timeout(420)
    void networkCutOfEachComponentThenASlowLink() throws Exception {
        phase("network", p -> {
            List<String> what = new ArrayList<>();
            // the cut stops decisions of commands sent after it; one committed just before it may still show up
            p.timeline.decideLaterFrom = System.currentTimeMillis();
            what.add(p.cut(Component.ORCHESTRATOR, () -> p.noProgressSince(p.timeline.laterDecisionTimes, p.visibleAt)));
            what.add(p.awaitRecovery("the orchestrator's cut"));

            what.add(p.cut(Component.ADAPTER,
                    () -> !adapter.ready() && !readyz() && p.noProgressSince(p.http.decisionTimes, p.visibleAt)));
            // while not ready (the cut showed, until the link came back) every call was refused at once
            long notReadyFrom = p.shownAt;
            long restored = p.restoredAt;
            List<HttpLoad.Call> whileCut = p.http.calls.stream()
                    .filter(c -> c.startNanos() > notReadyFrom && c.endNanos() < restored).toList();
            double slowest = whileCut.stream().mapToDouble(HttpLoad.Call::seconds).max().orElse(0);
            assertFalse(whileCut.isEmpty(), "calls while the adapter was cut off");
            assertTrue(whileCut.stream().allMatch(c -> c.answer().status() == 503), "503 while cut off");
            assertTrue(slowest < QUICK_503.toMillis() / 1e3, "503 within " + QUICK_503 + ", slowest " + slowest);
            what.add(String.format("while not ready: %d calls, all 503, slowest answer %.3f s", whileCut.size(), slowest));
            what.add(p.awaitRecovery("the adapter's cut"));

            what.add(p.cut(Component.WORKER, () -> p.noProgressSince(p.timeline.workerTimes, p.visibleAt)));
            what.add(p.awaitRecovery("the edge workers' cut"));

            Duration latency = Duration.ofMillis(100);
            long bytesPerSecond = 256 * 1024;
            for (Component c : Component.values()) {
                cluster.proxies(c).forEach(x -> x.slow(latency, bytesPerSecond));
            }
            int decidedBefore = p.timeline.decisionTimes.size();
            int answersBefore = p.http.decisionTimes.size();
            await("slow link held").during(CUT).atMost(CUT.plusSeconds(10)).until(orchestrator::alive);
            int decided = p.timeline.decisionTimes.size() - decidedBefore;
            int answered = p.http.decisionTimes.size() - answersBefore;
            restoreAll();
            p.restoredAt = System.nanoTime();
            assertTrue(decided > 0 && answered > 0, "decisions go on over a slow link");
            what.add(String.format("every component's path %d ms slower and %d KB/s (per broker and component) for %d s:"
                    + " %d async decisions and %d HTTP decision answers meanwhile", latency.toMillis(), bytesPerSecond / 1024,
                    CUT.toSeconds(), decided, answered));
            what.add(p.awaitRecovery("the slow link"));
            return String.join("\n[network] ", what);
        });
    }

    private void restoreAll() {
        for (Component c : Component.values()) {
            cluster.proxies(c).forEach(TcpProxy::restore);
        }
    }

    /** Which of the adapter's 503s (ApiHandler): not ready, the command not published, or no decision in time. */
    private static String why503(Http.Answer a) {
        String m = String.valueOf(a.message());
        return m.contains("cannot reach Kafka") ? "not ready" : m.contains("could not be published") ? "not published"
                : m.contains("No decision arrived") ? "no decision in time" : "other";
    }

    /** GET /readyz answers 200. */
    private boolean readyz() {
        Http.Answer a = Http.get(adapter.baseUrl().resolve("/readyz"));
        return a.io() == null && a.status() == 200;
    }

    private long workerHandled() {
        return workers.stream().mapToLong(EdgeWorker::directivesHandled).sum();
    }

    interface Fault {
        /** Injects the fault and ends it; returns what happened, for the counts line. */
        String run(Phase p) throws Exception;
    }

    /** One fault under load, from the first command to the last check. */
    final class Phase {
        final String name;
        final Load load = new Load(s, cluster.bootstrap());
        final HttpLoad http = new HttpLoad(s, adapter.baseUrl());
        // progress of the orchestrator: decisions on account OK's partition, which the HTTP calls share
        final Timeline timeline = new Timeline(cluster.bootstrap(), s,
                id -> load.sent.containsKey(id) && load.sent.get(id) != Scenario.Kind.THROTTLE, ClusterFaultTest.this::workerHandled);
        long faultStart;
        long faultEnd;
        long visibleAt;    // when the fault showed (a cut: the component stalled)
        long shownAt;      // when the test saw it showing
        long restoredAt;   // when the last network fault ended (the link came back)

        Phase(String name) {
            this.name = name;
        }

        void awaitMoreLoad() {
            int at = load.sent.size();
            load.awaitSent(at + AFTER, Duration.ofSeconds(60));
        }

        boolean noProgressSince(java.util.Collection<Long> times, long since) {
            return times.stream().noneMatch(t -> t > since);
        }

        /**
         * Cuts one component's connections to every broker; waits until the cut shows ({@code cutShows}
         * after {@link #STALL} without progress), holds it for {@link #CUT} while it keeps showing, restores.
         */
        String cut(Component component, BooleanSupplier cutShows) {
            cluster.proxies(component).forEach(TcpProxy::cut);
            long cutAt = System.nanoTime();
            visibleAt = cutAt;
            await(name + " shows").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                shownAt = System.nanoTime();
                visibleAt = shownAt - STALL.toNanos();
                return visibleAt > cutAt && cutShows.getAsBoolean();
            });
            double shows = (visibleAt - cutAt) / 1e9;
            Duration rest = CUT.minusNanos(System.nanoTime() - cutAt);
            await(name + " holds").during(rest).atMost(rest.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(cutShows::getAsBoolean);
            cluster.proxies(component).forEach(TcpProxy::restore);
            restoredAt = System.nanoTime();
            return String.format("%s's connections to all brokers cut for %.1f s (no progress from %.1f s after the cut)",
                    component.name().toLowerCase(), (System.nanoTime() - cutAt) / 1e9, shows);
        }

        /**
         * Waits until the orchestrator (a decision), the adapter (a decision answer) and the edge workers
         * (a directive handled) all made progress after {@link #restoredAt}, within {@link #RECOVERY_BOUND};
         * returns how long each took.
         */
        String awaitRecovery(String after) {
            long from = restoredAt;
            long[] readyAt = {adapter.ready() ? from : 0};
            try {
                await("every component progresses after " + after).atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (readyAt[0] == 0 && adapter.ready()) {
                                readyAt[0] = System.nanoTime();
                            }
                            return stalled(from).isEmpty();
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(name + ": within " + RECOVERY_BOUND.toSeconds() + " s after " + after
                        + ", still without progress: " + stalled(from) + "; meanwhile " + doing(from), e);
            }
            return String.format("after %s: orchestrator decisions resumed in %.1f s, adapter ready in %.1f s and decision"
                            + " answers in %.1f s, edge workers in %.1f s (bound %d s)", after,
                    Timeline.firstAfterSeconds(timeline.decisionTimes, from), Math.max(0, readyAt[0] - from) / 1e9,
                    Timeline.firstAfterSeconds(http.decisionTimes, from), Timeline.firstAfterSeconds(timeline.workerTimes, from),
                    RECOVERY_BOUND.toSeconds());
        }

        /**
         * What each component did since {@code from}, for a failure message: the orchestrator's decisions and how
         * far behind the newest one was (its backlog), the adapter's readiness and answers by kind, the workers'.
         * The adapter's own Kafka clients log to target/fault-logs/adapter-kafka-clients-*.log.
         */
        String doing(long from) {
            Map<String, Integer> answers = new TreeMap<>();
            for (HttpLoad.Call c : http.calls) {
                if (c.endNanos() > from) {
                    Http.Answer a = c.answer();
                    answers.merge(a.io() != null ? "no answer" : a.status() == 503 ? "503 " + why503(a)
                            : Integer.toString(a.status()), 1, Integer::sum);
                }
            }
            long decided = timeline.decisionTimes.stream().filter(t -> t > from).count();
            long handled = timeline.workerTimes.stream().filter(t -> t > from).count();
            return String.format("orchestrator: %d decisions of this phase's async commands (%d sent so far), the newest"
                            + " decided %.1f s after it was sent; adapter: %s, HTTP answers %s, %d calls in flight;"
                            + " edge workers: progress %d times", decided, load.sent.size(),
                    timeline.newestDecisionAgeMillis / 1e3, adapter.ready() ? "ready" : "NOT ready", answers,
                    http.inFlight(), handled);
        }

        /** The components that made no progress after {@code from}: orchestrator, adapter, edge workers. */
        List<String> stalled(long from) {
            List<String> stalled = new ArrayList<>();
            if (Timeline.firstAfterSeconds(timeline.decisionTimes, from) < 0) {
                stalled.add("orchestrator (no decision)");
            }
            if (Timeline.firstAfterSeconds(http.decisionTimes, from) < 0) {
                stalled.add("adapter (no decision answer" + (adapter.ready() ? "" : ", not ready") + ")");
            }
            if (Timeline.firstAfterSeconds(timeline.workerTimes, from) < 0) {
                stalled.add("edge workers (no directive handled)");
            }
            return stalled;
        }
    }

    private Phase phase(String name, Fault fault) throws Exception {
        long start = System.nanoTime();
        assertTrue(orchestrator.alive(), "orchestrator alive before " + name);
        Phase p = new Phase(name);
        try {
            p.load.start(ASYNC_PER_TICK, ASYNC_TICK_MS);
            p.http.start(HTTP_TICK_MS);
            p.load.awaitSent(BEFORE, Duration.ofSeconds(60));
            p.faultStart = System.nanoTime();
            String what = fault.run(p);
            p.faultEnd = System.nanoTime();
            p.restoredAt = p.faultEnd;
            String recovery = p.awaitRecovery("the fault");
            p.awaitMoreLoad();
            long loadEnd = System.nanoTime();
            p.load.stop();
            p.http.stop();
            assertEquals(0, p.load.failed.get(), () -> "async commands not acknowledged: " + p.load.firstFailure.get());
            assertEquals(p.load.sent.size(), p.load.acked.get(), "every async command acknowledged");
            Verifier.awaitDecisions(cluster.bootstrap(), s, p.load.sent.keySet(), Duration.ofSeconds(120));
            double decided = (System.nanoTime() - loadEnd) / 1e9;

            // every HTTP caller answered: a decision (kept for the verifier) or a 503; a call published but not
            // answered in time ("no decision in time", its RequestId in the body) must still be decided
            Map<String, Integer> statuses = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            for (HttpLoad.Call c : p.http.calls) {
                Http.Answer a = c.answer();
                statuses.merge(a.io() != null ? "no answer" : a.status() == 503 ? "503 " + why503(a) : Integer.toString(a.status()),
                        1, Integer::sum);
                if (a.io() != null) {
                    problems.add("HTTP call without an answer: " + a.io());
                } else if (a.status() == 200 && c.kind() == Scenario.Kind.ACCEPT && a.requestId() != null) {
                    expected.put(a.requestId(), Scenario.Kind.ACCEPT);
                } else if (a.status() == 404 && c.kind() == Scenario.Kind.NOT_FOUND && "JobNotFound".equals(a.code())) {
                    expected.put(a.requestId(), Scenario.Kind.NOT_FOUND);
                } else if (a.status() == 503 && why503(a).equals("no decision in time") && a.requestId() != null) {
                    expected.put(a.requestId(), c.kind());
                } else if (a.status() != 503 || why503(a).equals("other")) {
                    problems.add(c.kind() + " call answered " + a.status() + " " + a.body());
                }
            }
            expected.putAll(p.load.sent);
            // settled: every decision, directive, worker report and COMPLETED follow-up of the phase is out
            Verifier.settle(cluster.bootstrap(), s, Verifier.QUIET, Duration.ofSeconds(60));
            Verifier.Report r = Verifier.judge(s, Verifier.read(cluster.bootstrap(), s, true, null), expected, true);
            long end = System.nanoTime();
            p.timeline.close();
            double orchGap = Timeline.longestGapSeconds(p.timeline.decisionTimes, p.faultStart, loadEnd);
            double httpGap = Timeline.longestGapSeconds(p.http.decisionTimes, p.faultStart, loadEnd);
            double workerGap = Timeline.longestGapSeconds(p.timeline.workerTimes, p.faultStart, loadEnd);
            System.out.printf("[%s] %s%n", name, what);
            System.out.printf("[%s] async commands=%d (acknowledged %d, failed %d, all decided %.1f s after the load stopped);"
                            + " HTTP calls=%d %s; %s; directives handled by the workers=%d (duplicates seen %d)%n", name,
                    p.load.sent.size(), p.load.acked.get(), p.load.failed.get(), decided, p.http.calls.size(), statuses,
                    r.line(), workerHandled(), workers.stream().mapToLong(EdgeWorker::duplicatesSeen).sum());
            System.out.printf("[%s] longest time without progress from the fault on: orchestrator decisions %.1f s, adapter"
                            + " decision answers %.1f s, edge workers %.1f s; the latest async command decided %.1f s after it"
                            + " was sent; %s; phase took %.0f s (%.0f s since start)%n",
                    name, orchGap, httpGap, workerGap, p.timeline.oldestDecisionAgeMillis / 1e3, recovery,
                    (end - start) / 1e9, (end - t0) / 1e9);
            problems.addAll(r.problems());
            assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.subList(0, Math.min(20, problems.size())));
            assertEquals(0, r.duplicates());
            assertEquals(0, r.contradictions());
            assertEquals(r.accepted(), r.directivesAttempt1());
            assertEquals(r.directivesAttempt1(), r.directivesActedOn());
            assertEquals(r.decisions(), r.auditDecisions());
            assertTrue(statuses.getOrDefault("200", 0) > 0, "some HTTP calls accepted");
            assertTrue(orchestrator.alive(), "orchestrator alive after " + name);
            assertEquals(0, orchestrator.count("to PENDING_ERROR"), "Kafka Streams never failed; log " + orchestrator.log());
            return p;
        } finally {
            p.http.close();
            BrokerKillTest.closeBounded(p.load);
            p.timeline.close();
            restoreAll();
        }
    }
}
