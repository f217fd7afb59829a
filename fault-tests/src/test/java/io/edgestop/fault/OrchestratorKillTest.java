package io.edgestop.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * Two orchestrator instances of one application id, one of them in a separate JVM, under steady
 * load of stop commands (accepted, JobNotFound, Forbidden, throttled). The separate JVM is killed
 * with SIGKILL mid-run (no close, no shutdown hook, a transaction left open) and started again on
 * the same state directory. The output topics must show exactly-once decisions.
 */
@RealKafka
class OrchestratorKillTest {

    static final int RATE_PER_TICK = 5;      // every 20 ms: 250 commands/s
    static final int KILL_AT = 1_500;        // about 6 s into the load
    static final int RESTART_AT = 2_500;     // about 4 s after the kill
    static final int AFTER_RUNNING = 1_000;  // about 4 s of load once the restarted instance runs
    /** What {@code edge-stop orchestrator} prints once Kafka Streams is RUNNING. */
    static final String ORCHESTRATOR_RUNNING = "orchestrator RUNNING";

    @Test
    @Timeout(240)
    void sigkilledInstanceLosesNothingAndDuplicatesNothing(KafkaBroker broker, @TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = broker.bootstrapServers();
        // the load runs on while the killed instance restarts (up to 2 minutes on a loaded machine):
        // 40% of 250 commands/s each take a job, so enough jobs for about 2.5 minutes of load
        Scenario s = new Scenario(broker.uniquePrefix(), 15_000);
        s.provision(bootstrap);
        s.seed(bootstrap);
        String appId = "fault-kill-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> childSettings = s.orchestratorSettings(bootstrap, appId, tmp.resolve("state-child").toString());

        System.out.printf("[orchestrator SIGKILL] topics and seed ready after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Orchestrator local = Orchestrator.start(OrchestratorConfig.fromMap(
                s.orchestratorSettings(bootstrap, appId, tmp.resolve("state-local").toString())));
        ChildJvm child = startChild(childSettings, appId + "-child-1.log");
        ChildJvm restarted = null;
        try (Admin admin = broker.admin()) {
            assertTrue(local.awaitRunning(Duration.ofSeconds(120)), "local orchestrator RUNNING");
            child.awaitLine(ORCHESTRATOR_RUNNING, Duration.ofSeconds(120));
            await("both instances own tasks").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ownersWithTasks(admin, appId) == 2);

            System.out.printf("[orchestrator SIGKILL] both instances RUNNING and owning tasks after %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            Load load = new Load(s, bootstrap).withRepeats(10).start(RATE_PER_TICK, 20);
            try {
                load.awaitSent(KILL_AT, Duration.ofSeconds(60));
                long pid = child.pid();
                int exit = child.kill();
                assertEquals(ChildJvm.SIGKILL_EXIT, exit, "destroyForcibly() must be SIGKILL (exit 128+9)");
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
                int killedAt = load.sent.size();
                load.awaitSent(RESTART_AT, Duration.ofSeconds(60));
                int restartedAt = load.sent.size();
                restarted = startChild(childSettings, appId + "-child-2.log");
                restarted.awaitLine(ORCHESTRATOR_RUNNING, Duration.ofSeconds(120));
                int runningAgainAt = load.sent.size();
                load.awaitSent(runningAgainAt + AFTER_RUNNING, Duration.ofSeconds(60));
                load.stop();
                System.out.printf("[orchestrator SIGKILL] child pid %d killed, exit %d (SIGKILL) after %d commands;"
                        + " restarted after %d, RUNNING again after %d%n", pid, exit, killedAt, restartedAt, runningAgainAt);
            } finally {
                load.close();
            }
            assertEquals(0, load.failed.get(), () -> "commands not acknowledged by Kafka: " + load.firstFailure.get());

            System.out.printf("[orchestrator SIGKILL] load done after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Verifier.awaitDecisions(bootstrap, s, load.sent.keySet(), Duration.ofSeconds(120));
            System.out.printf("[orchestrator SIGKILL] every command decided after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Verifier.settle(bootstrap, s, Verifier.QUIET, Duration.ofSeconds(60));
            Verifier.Report r = Verifier.check(bootstrap, s, load.sent, false);
            System.out.printf("[orchestrator SIGKILL] %s (%.0f s)%n", r.line(), (System.nanoTime() - t0) / 1e9);
            assertTrue(r.problems().isEmpty(), r.problemText());
            assertEquals(0, r.duplicates());
            assertEquals(load.sent.size(), r.decisions());
            assertEquals(r.accepted(), r.directivesAttempt1());
            assertEquals(r.decisions(), r.auditDecisions());
            assertEquals(KafkaStreams.State.RUNNING, local.state());
            assertTrue(restarted.alive(), "restarted child still running");
        } finally {
            child.close();
            if (restarted != null) {
                restarted.close();
            }
            local.close();
        }
    }

    /** Members of the application's consumer group that hold at least one partition. */
    /** {@code edge-stop orchestrator --set key=value ...} in its own JVM, without an admin port (several run at once). */
    static ChildJvm startChild(Map<String, String> settings, String logName) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("orchestrator", "--admin-port", "-1"));
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        return ChildJvm.start("orchestrator", EdgeStopCli.class.getName(), args, ChildJvm.logFile(logName),
                "384m", "child-logback.xml");
    }

    /** Instances (not stream threads: each instance runs one consumer per thread) that own at least one task. */
    static int ownersWithTasks(Admin admin, String appId) throws Exception {
        ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(appId)).all().get().get(appId);
        java.util.Set<String> instances = new java.util.HashSet<>();
        for (MemberDescription m : g.members()) {
            if (!m.assignment().topicPartitions().isEmpty()) {
                // client id: <application.id>-<process UUID>-StreamThread-<n>-consumer
                String client = m.clientId();
                int thread = client.indexOf("-StreamThread-");
                instances.add(thread < 0 ? client : client.substring(0, thread));
            }
        }
        return instances.size();
    }
}
