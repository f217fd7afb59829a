package io.edgestop.devtools;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.edgestop.launcher.Foreground;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code edge-stop broker}: the dev stack's single-node KRaft broker on its own, with the listeners
 * and advertised addresses a container needs: docker-compose.local.yml runs it where the official
 * Kafka image cannot be pulled. Plaintext and without authentication, like the dev stack: not for production.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run a single-node Kafka broker (KRaft, broker + controller, plaintext) until SIGTERM / Ctrl-C.",
            "The same broker as the dev stack's, with configurable listeners: for docker-compose.local.yml",
            "where the official Kafka image cannot be pulled. No authentication: for a demo, not for production.",
            "Keeps its data in --data-dir across restarts."})
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--listeners", defaultValue = "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
            description = {"Listeners, NAME://host:port,... (default ${DEFAULT-VALUE}); an empty host binds every interface.",
                "PLAINTEXT (clients and the broker itself) and CONTROLLER (KRaft) are required."})
    String listeners;

    @Option(names = "--advertised-listeners", defaultValue = "PLAINTEXT://localhost:9092",
            description = "Addresses given to clients, one per client listener (default ${DEFAULT-VALUE}).")
    String advertisedListeners;

    @Option(names = "--data-dir", defaultValue = "data", description = "Broker data (in DIR/kafka; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--ready-file", description = "Written once the broker answers, removed on shutdown (for health checks).")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka.Listeners l;
        try {
            l = new EmbeddedKafka.Listeners(listeners, advertisedListeners);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("edge-stop broker: " + e.getMessage());
            return 2;
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, l);
        spec.commandLine().getOut().println("broker ready: listeners " + listeners + ", advertised " + advertisedListeners
                + (kafka.resumed() ? " (data of the previous run)" : ""));
        spec.commandLine().getOut().flush();
        Foreground.runUntilSignal(kafka, readyFile, "broker");
        return 0;
    }
}
