package io.edgestop.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.edgestop.edge.EdgeWorker;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.EdgeWorkerMain;
import io.edgestop.edge.SimulatedJobController;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop edge-worker}: the agent of one edge cluster. */
@Command(name = "edge-worker", mixinStandardHelpOptions = true,
        description = {"Run the edge worker of one cluster until SIGTERM.",
            "It consumes the cluster's directives, stops jobs and reports them stopped. Workers of the same cluster share the directives (one consumer group per cluster).",
            "The job controller is the simulated one unless -D job.controller=CLASS names another."})
final class EdgeWorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--cluster-id", required = true, description = "The edge cluster this worker serves.")
    String clusterId;

    @Option(names = "--worker-id", description = "Id written on reports (default: host, pid and a random suffix).")
    String workerId;

    @Option(names = "--stop-latency-ms", defaultValue = "100", description = "Simulated stop time (default ${DEFAULT-VALUE}).")
    long stopLatencyMs;

    @Option(names = "--failure-rate", defaultValue = "0", description = "Simulated stop failure probability (default ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--random-seed", defaultValue = "42", description = "Seed of the simulated failures (default ${DEFAULT-VALUE}).")
    long randomSeed;

    @Option(names = "--admin-port", defaultValue = "9465",
            description = "Port of /metrics, /healthz and /readyz (default ${DEFAULT-VALUE}; -1 = off, 0 = any free port).")
    int adminPort;

    @Option(names = "--ready-file", description = "Written once the worker has its partitions, removed on shutdown (for health checks).")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> m = kafka.baseSettings();
        m.put("cluster.id", clusterId);
        if (workerId != null) {
            m.put("worker.id", workerId);
        }
        m.putIfAbsent("admin.port", Integer.toString(adminPort));
        m.putIfAbsent(SimulatedJobController.STOP_LATENCY_MS, Long.toString(stopLatencyMs));
        m.putIfAbsent(SimulatedJobController.FAILURE_RATE, Double.toString(failureRate));
        m.putIfAbsent(SimulatedJobController.SEED, Long.toString(randomSeed));
        EdgeWorker worker = EdgeWorker.start(EdgeWorkerConfig.fromMap(m), EdgeWorkerMain.controllerFrom(m));
        if (!worker.awaitAssigned(Duration.ofMinutes(5))) {
            spec.commandLine().getErr().println("edge worker got no partitions: " + worker.failure());
            worker.close();
            return 1;
        }
        spec.commandLine().getOut().println("edge worker " + worker.config().workerId() + " consuming "
                + worker.config().directiveTopic() + (worker.adminPort() < 0 ? "" : " admin port " + worker.adminPort()));
        spec.commandLine().getOut().flush();
        Thread watchdog = new Thread(() -> {
            try {
                worker.awaitStopped(Duration.ofDays(36_500));
            } catch (InterruptedException e) {
                return;
            }
            if (worker.failure() != null) {
                // exit non-zero so that a supervisor (compose, systemd, k8s) restarts the worker;
                // uncommitted directives are then delivered again
                spec.commandLine().getErr().println("edge worker failed: " + worker.failure());
                System.exit(1);
            }
        }, "edge-worker-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Foreground.runUntilSignal(worker, readyFile, "edge-worker");
        return worker.failure() == null ? 0 : 1;
    }
}
