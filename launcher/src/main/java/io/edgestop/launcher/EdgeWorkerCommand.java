package io.edgestop.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.edgestop.edge.EdgeWorker;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.JobController;
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
            "-D job.controller=CLASS (required) names the JobController of the real machines; 'simulated' stops nothing real.",
            "Settings (docs/settings.md): defaults < --config FILE < --kafka-config FILE < EDGESTOP_EDGE_WORKER_<KEY> < flags."})
final class EdgeWorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions settings;

    @Option(names = "--cluster-id", descriptionKey = "cluster.id", description = "The edge cluster this worker serves (required).")
    String clusterId;

    @Option(names = "--worker-id", descriptionKey = "worker.id",
            description = "Id written on reports (default: host, pid and a random suffix).")
    String workerId;

    @Option(names = "--stop-latency-ms", descriptionKey = SimulatedJobController.STOP_LATENCY_MS,
            description = "Simulated stop time (default ${DEFAULT-VALUE}).")
    Long stopLatencyMs;

    @Option(names = "--failure-rate", descriptionKey = SimulatedJobController.FAILURE_RATE,
            description = "Simulated stop failure probability (default ${DEFAULT-VALUE}).")
    Double failureRate;

    @Option(names = "--random-seed", descriptionKey = SimulatedJobController.SEED,
            description = "Seed of the simulated failures (default ${DEFAULT-VALUE}).")
    Long randomSeed;

    @Option(names = "--admin-port", descriptionKey = "admin.port",
            description = "Port of /metrics, /healthz and /readyz (default ${DEFAULT-VALUE}; -1 = off, 0 = any free port).")
    Integer adminPort;

    @Option(names = "--ready-file", description = "Written once the worker has its partitions, removed on shutdown (for health checks).")
    Path readyFile;

    @Option(names = "--print-settings", description = "Print every setting in force with its source (secrets hidden) and exit.")
    boolean printSettings;

    @Override
    public Integer call() throws Exception {
        EdgeWorkerConfig config = settings.view(EdgeWorkerConfig::fromMap);
        JobController controller = settings.view(m -> {
            try {
                return JobController.fromSettings(m);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(EdgeWorkerConfig.JOB_CONTROLLER + ": cannot make the controller: " + e, e);
            }
        });
        if (printSettings) {
            settings.settings().print(spec.commandLine().getOut());
            return 0;
        }
        EdgeWorker worker = EdgeWorker.start(config, controller);
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
