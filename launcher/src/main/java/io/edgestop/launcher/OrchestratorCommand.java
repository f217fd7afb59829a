package io.edgestop.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.OrchestratorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop orchestrator}: one orchestrator instance (Kafka Streams) against any cluster. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true,
        description = {"Run one orchestrator instance until SIGTERM. Instances with the same --application-id share the work.",
            "Other settings (see the README's Orchestrator section) go through -D KEY=VALUE."})
final class OrchestratorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--application-id", defaultValue = "edgestop-orchestrator", description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", description = "Local state directory (default: the orchestrator's).")
    Path stateDir;

    @Option(names = "--replication-factor", defaultValue = "3",
            description = "Replication factor of internal topics (default ${DEFAULT-VALUE}; 1 on a single broker).")
    int replicationFactor;

    @Option(names = "--admin-port", defaultValue = "9464",
            description = "Port of /metrics, /healthz and /readyz (default ${DEFAULT-VALUE}; -1 = off, 0 = any free port).")
    int adminPort;

    @Option(names = "--ready-file", description = "Written once the instance is RUNNING, removed on shutdown (for health checks).")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> m = kafka.baseSettings();
        m.putIfAbsent("application.id", applicationId);
        m.putIfAbsent("replication.factor", Integer.toString(replicationFactor));
        m.putIfAbsent(OrchestratorConfig.ADMIN_PORT, Integer.toString(adminPort));
        if (stateDir != null) {
            m.putIfAbsent("state.dir", stateDir.toString());
        }
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(m));
        if (!orchestrator.awaitRunning(Duration.ofMinutes(5))) {
            spec.commandLine().getErr().println("orchestrator did not reach RUNNING: " + orchestrator.state());
            orchestrator.close();
            return 1;
        }
        spec.commandLine().getOut().println("orchestrator RUNNING (" + applicationId + " on " + kafka.bootstrapServers + ")"
                + (orchestrator.adminPort() < 0 ? "" : " admin port " + orchestrator.adminPort()));
        spec.commandLine().getOut().flush();
        Foreground.runUntilSignal(orchestrator, readyFile, "orchestrator");
        return 0;
    }
}
