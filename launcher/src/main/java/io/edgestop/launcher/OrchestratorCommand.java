package io.edgestop.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop orchestrator}: one orchestrator instance (Kafka Streams) against any cluster. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true,
        description = {"Run one orchestrator instance until SIGTERM. Instances with the same --application-id share the work.",
            "Settings (docs/settings.md): defaults < --config FILE < --kafka-config FILE < EDGESTOP_ORCHESTRATOR_<KEY> < flags."})
final class OrchestratorCommand implements Callable<Integer> {

    /** Printed once Kafka Streams is RUNNING (the fault tests and the benchmark wait for it). */
    static final String RUNNING = "orchestrator RUNNING";

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions settings;

    @Option(names = "--application-id", descriptionKey = OrchestratorConfig.APPLICATION_ID,
            description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", descriptionKey = OrchestratorConfig.STATE_DIR,
            description = "Local state directory (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--replication-factor", descriptionKey = OrchestratorConfig.REPLICATION_FACTOR,
            description = "Replication factor of internal topics (default ${DEFAULT-VALUE}; 1 on a single broker).")
    Integer replicationFactor;

    @Option(names = "--admin-port", descriptionKey = OrchestratorConfig.ADMIN_PORT,
            description = "Port of /metrics, /healthz and /readyz (default ${DEFAULT-VALUE}; -1 = off, 0 = any free port).")
    Integer adminPort;

    @Option(names = "--ready-file", description = "Written once the instance is RUNNING, removed on shutdown (for health checks).")
    Path readyFile;

    @Option(names = "--print-settings", description = "Print every setting in force with its source (secrets hidden) and exit.")
    boolean printSettings;

    @Override
    public Integer call() throws Exception {
        OrchestratorConfig config = settings.view(OrchestratorConfig::fromMap);
        if (printSettings) {
            settings.settings().print(spec.commandLine().getOut());
            return 0;
        }
        Orchestrator orchestrator = Orchestrator.start(config);
        if (!orchestrator.awaitRunning(Duration.ofMinutes(5))) {
            spec.commandLine().getErr().println("orchestrator did not reach RUNNING: " + orchestrator.state());
            orchestrator.close();
            return 1;
        }
        spec.commandLine().getOut().println(RUNNING + " (" + config.applicationId() + " on " + config.bootstrapServers()
                + ", topic prefix " + config.topicPrefix() + ")"
                + (orchestrator.adminPort() < 0 ? "" : " admin port " + orchestrator.adminPort()));
        spec.commandLine().getOut().flush();
        Foreground.runUntilSignal(orchestrator, readyFile, "orchestrator");
        return 0;
    }
}
