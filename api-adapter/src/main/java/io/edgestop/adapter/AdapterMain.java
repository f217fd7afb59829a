package io.edgestop.adapter;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.edgestop.adapter.tls.TlsSettings;
import io.edgestop.kafka.KafkaClientSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs one adapter until SIGTERM/SIGINT. Configuration, later sources winning: built-in defaults,
 * a properties file ({@code --config}), environment variables {@code EDGESTOP_ADAPTER_<KEY>} (key
 * upper-cased, dots as underscores, e.g. {@code EDGESTOP_ADAPTER_BOOTSTRAP_SERVERS}), then flags
 * and {@code -D key=value}. Keys are those of {@link AdapterConfig}.
 */
@Command(name = "edgestop-adapter", mixinStandardHelpOptions = true,
        description = "Alibaba-compatible StopEdgeTranscodeJob HTTP API over Kafka.")
public final class AdapterMain implements Callable<Integer> {

    static final String ENV_PREFIX = "EDGESTOP_ADAPTER_";
    static final List<String> KEYS = Stream.concat(Stream.of("bootstrap.servers", "topic.prefix", "http.host",
            "http.port", "instance.id", "reply.timeout.ms", "max.body.bytes", "timestamp.window.ms", "credentials.file",
            "trusted.proxies", "shutdown.timeout.ms"), TlsSettings.KEYS.stream()).toList();

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, description = "Properties file with adapter keys.")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", description = "Topic prefix (default edgestop.).")
    String topicPrefix;

    @Option(names = "--http-host", description = "Listen address (default " + AdapterConfig.DEFAULT_HTTP_HOST
            + "; 0.0.0.0 for every interface).")
    String httpHost;

    @Option(names = "--http-port", description = "Listen port (default 0: random).")
    Integer httpPort;

    @Option(names = "--instance-id", description = "Unique id of this instance (reply address).")
    String instanceId;

    @Option(names = "--credentials-file", description = "JSON credentials file.")
    Path credentialsFile;

    @Option(names = "--reply-timeout-ms", description = "Wait for a decision (default 10000).")
    Long replyTimeoutMs;

    @Option(names = "-D", description = {"Any adapter key, e.g. -D kafka.security.protocol=SSL or -D tls.keystore.path=FILE.",
            "Give passwords through the environment (EDGESTOP_ADAPTER_TLS_KEYSTORE_PASSWORD), not on the command line."})
    Map<String, String> extra = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new AdapterMain()).execute(args));
    }

    /** Merges the configuration sources; visible for tests. */
    Map<String, String> resolve(Map<String, String> env) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(configFile)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        }
        values.putAll(fromEnvironment(env));
        put(values, "bootstrap.servers", bootstrapServers);
        put(values, "topic.prefix", topicPrefix);
        put(values, "http.host", httpHost);
        put(values, "http.port", httpPort);
        put(values, "instance.id", instanceId);
        put(values, "credentials.file", credentialsFile);
        put(values, "reply.timeout.ms", replyTimeoutMs);
        values.putAll(extra);
        return values;
    }

    /** The adapter keys set by {@code EDGESTOP_ADAPTER_<KEY>} environment variables. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KEYS) {
            String v = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (v != null) {
                values.put(key, v);
            }
        }
        values.putAll(KafkaClientSettings.fromEnvironment(env, ENV_PREFIX).asComponentSettings());
        return values;
    }

    private static void put(Map<String, String> m, String key, Object v) {
        if (v != null) {
            m.put(key, v.toString());
        }
    }

    @Override
    public Integer call() throws Exception {
        AdapterConfig config = AdapterConfig.fromMap(resolve(System.getenv()));
        if (config.credentialsFile() == null) {
            spec.commandLine().getErr().println("edgestop-adapter: " + CredentialStore.NO_CREDENTIALS
                    + " (--credentials-file FILE)");
            spec.commandLine().getErr().flush();
            return 2;
        }
        CredentialStore store = FileCredentialStore.load(config.credentialsFile());
        ApiAdapter adapter = ApiAdapter.start(config, store);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            adapter.close();
            stopped.countDown();
        }, "edgestop-adapter-shutdown"));
        System.out.println("edgestop adapter " + config.instanceId() + " listening on " + adapter.baseUrl());
        stopped.await();
        return 0;
    }
}
