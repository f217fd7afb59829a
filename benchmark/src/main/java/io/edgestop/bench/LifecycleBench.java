package io.edgestop.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import io.edgestop.edge.EdgeWorker;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.SimulatedJobController;
import io.edgestop.topics.Topics;

/**
 * The whole life of a stop with simulated edge workers: one {@link EdgeWorker} with a
 * {@link SimulatedJobController} per cluster in this JVM. Stop commands for RUNNING jobs (each job
 * stopped once, never reused) at a fixed rate; each is timed from its due send time to its decision
 * and to its COMPLETED result (decision -> directive -> worker stops the job -> report -> COMPLETED).
 */
final class LifecycleBench implements AutoCloseable {

    /** Decision and completion rows of one phase, and how many commands it sent. */
    record Result(Bench.Row decisions, Bench.Row completions, int commands) {
    }

    private final List<EdgeWorker> workers;

    private LifecycleBench(List<EdgeWorker> workers) {
        this.workers = workers;
    }

    /**
     * Starts the workers; their groups first skip every directive issued so far (the phases without workers
     * accepted stops nobody will act on), so they see only the directives of the commands sent from now on.
     */
    static LifecycleBench start(Bench.Env env, Topics topics, List<String> clusters, Duration stopLatency) throws Exception {
        List<EdgeWorker> workers = new ArrayList<>();
        for (String cluster : clusters) {
            Map<String, String> settings = env.componentSettings();
            settings.put("topic.prefix", topics.prefix());
            settings.put("cluster.id", cluster);
            settings.put("worker.id", "bench-worker-" + cluster);
            EdgeWorkerConfig config = EdgeWorkerConfig.fromMap(settings);
            Bench.commitAtEnd(env, config.groupId(), config.directiveTopic());
            workers.add(EdgeWorker.start(config, new SimulatedJobController(stopLatency, 0.0, 42, true, Clock.systemUTC())));
        }
        for (EdgeWorker w : workers) {
            if (!w.awaitAssigned(Duration.ofSeconds(60))) {
                throw new IllegalStateException("edge worker " + w.config().workerId() + " got no partitions", w.failure());
            }
        }
        return new LifecycleBench(workers);
    }

    /** {@code count} stop commands of fresh RUNNING jobs at {@code rate}; waits for every decision and completion. */
    Result run(PipelineBench pipeline, ResultCollector results, String name, int count, double rate, Duration timeout)
            throws Exception {
        results.reset(true);
        PipelineBench.Sent sent = pipeline.send(count, rate, Workload.Mix.ALL_ACCEPTED);
        boolean allDecided = results.awaitDecided(count, timeout);
        long accepted = results.codes().getOrDefault("OK", 0L);
        boolean allCompleted = results.awaitCompleted(accepted, timeout);
        String schedule = sent.scheduleNote().isEmpty() ? "" : "; " + sent.scheduleNote();
        Bench.Row decisions = Bench.Row.latency(name + ", command->decision", results.decided(),
                Bench.perSecond(results.decided(), sent.startNanos(), results.lastResultNanos()), results.latencies().snapshot())
                .withNote(results.codes() + (allDecided ? "" : "; MISSING " + (count - results.decided())) + schedule);
        Bench.Row completions = Bench.Row.latency(name + ", command->COMPLETED", results.completed(),
                Bench.perSecond(results.completed(), sent.startNanos(), results.lastCompletionNanos()), results.completions().snapshot())
                .withNote(String.format(Locale.ROOT, "%d of %d accepted completed%s%s; %s", results.completed(), accepted,
                        results.timedOut() > 0 ? ", TIMED_OUT " + results.timedOut() : "",
                        allCompleted ? "" : ", MISSING " + (accepted - results.completed()), workerNote()));
        return new Result(decisions, completions, count);
    }

    /** Directives handled and reports sent by the workers so far, and any that failed. */
    String workerNote() {
        long handled = workers.stream().mapToLong(EdgeWorker::directivesHandled).sum();
        long reports = workers.stream().mapToLong(EdgeWorker::reportsSent).sum();
        long failed = workers.stream().filter(w -> !w.isRunning()).count();
        return "workers so far: " + handled + " directives, " + reports + " reports" + (failed > 0 ? ", " + failed + " WORKERS DIED" : "");
    }

    @Override
    public void close() {
        workers.forEach(EdgeWorker::close);
    }
}
