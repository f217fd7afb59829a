package io.edgestop.orchestrator;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.Admin;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the orchestrator against any Kafka cluster. Configuration, later sources winning:
 * defaults, {@code --config FILE} (properties), {@code EDGESTOP_*} environment variables
 * ({@code EDGESTOP_BOOTSTRAP_SERVERS} is {@code bootstrap.servers}: strip the prefix, lower-case,
 * '_' becomes '.'), then {@code --set key=value} flags. SIGTERM closes it cleanly.
 */
@Command(name = "orchestrator", mixinStandardHelpOptions = true,
        description = "Runs the edge-stop orchestrator (Kafka Streams) until SIGTERM.")
public final class OrchestratorMain implements Callable<Integer> {

    static final String ENV_PREFIX = "EDGESTOP_";

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with orchestrator keys.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Sets one key (repeatable); wins over file and environment.")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--create-topics", description = "Create the fixed topics (topic.partitions, replication.factor) before starting.")
    boolean createTopics;

    @Option(names = "--cluster", paramLabel = "CLUSTER_ID", split = ",",
            description = "Also create the directive topic of these clusters (with --create-topics).")
    List<String> clusters = List.of();

    public static void main(String[] args) {
        int code = new CommandLine(new OrchestratorMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The configuration these arguments and this environment give. */
    static OrchestratorConfig resolve(Path file, Map<String, String> env, Map<String, String> sets) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            }
            props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        }
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                values.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        values.putAll(sets);
        return OrchestratorConfig.fromMap(values);
    }

    @Override
    public Integer call() throws Exception {
        OrchestratorConfig config = resolve(configFile, System.getenv(), sets);
        if (createTopics) {
            try (Admin admin = Admin.create(config.kafkaClientSettings().clientProperties(config.bootstrapServers()))) {
                TopicProvisioner.createAll(admin, config.topics(), config.topicPartitions(), config.replicationFactor());
                TopicProvisioner.createDirectiveTopics(admin, config.topics(), clusters, config.topicPartitions(),
                        config.replicationFactor());
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Orchestrator orchestrator = Orchestrator.start(config);
        Thread hook = new Thread(() -> {
            orchestrator.close();
            System.err.println("orchestrator closed");
            stopped.countDown();
        }, "orchestrator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (orchestrator.awaitRunning(Duration.ofMinutes(2))) {
            System.err.println("orchestrator running: application.id=" + config.applicationId() + " topics prefix="
                    + config.topicPrefix());
        }
        stopped.await();
        return 0;
    }
}
