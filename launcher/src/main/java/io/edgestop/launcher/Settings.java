package io.edgestop.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.config.ConfigDef;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.SimulatedJobController;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;

/**
 * The one settings rule of every {@code edge-stop} command, later sources winning:
 * <ol>
 * <li>the command's defaults ({@link Scope#defaults()}: those the component's config class declares, with
 *     the few defaults a runner needs that an embedded component must not have, e.g. an admin port);</li>
 * <li>{@code --config FILE} (properties, component keys), then {@code --kafka-config FILE} (a Kafka
 *     client properties file: its keys become {@code kafka.KEY});</li>
 * <li>the environment: {@code EDGESTOP_<SCOPE>_<KEY>}, the key upper-cased with dots as underscores
 *     ({@code EDGESTOP_ADAPTER_HTTP_PORT} is the adapter's {@code http.port}); each command reads its
 *     own scope only, so one environment can carry the settings of several components;</li>
 * <li>flags: the named flags, then {@code -D/--set KEY=VALUE}, then {@code --kafka KEY=VALUE}
 *     ({@code kafka.KEY}).</li>
 * </ol>
 * A key the command does not accept, in any source, is refused with the key and its source named;
 * so is an {@code EDGESTOP_} variable of no scope. {@code kafka.*} keys are accepted by every command
 * and reach every Kafka client it creates ({@link KafkaClientSettings}).
 */
public final class Settings {

    public static final String ENV_PREFIX = "EDGESTOP_";
    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    /**
     * The settings one kind of command accepts: the declarations of its keys, their defaults (the declared ones but
     * the runner's own; null: none), and its environment scope.
     */
    public record Scope(String name, String envScope, ConfigDef declared, Map<String, String> defaults) {

        /** A scope of the keys {@code declared}, with the declared defaults but those of {@code runner}. */
        static Scope of(String name, String envScope, ConfigDef declared, Map<String, String> runner) {
            Map<String, Object> declaredDefaults = declared.defaultValues();
            Map<String, String> d = new TreeMap<>();
            declared.names().forEach(k -> d.put(k,
                    ConfigDef.convertToString(declaredDefaults.get(k), declared.configKeys().get(k).type)));
            d.putAll(runner);
            return new Scope(name, envScope, declared, Collections.unmodifiableMap(d));
        }

        public String envPrefix() {
            return ENV_PREFIX + envScope + "_";
        }

        public boolean accepts(String key) {
            return defaults.containsKey(key)
                    || key.startsWith(KafkaClientSettings.PREFIX) && key.length() > KafkaClientSettings.PREFIX.length();
        }

        /** The environment variable that sets {@code key} for this scope. */
        public String envVariable(String key) {
            return envPrefix() + key.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }

    public static final Scope ORCHESTRATOR = Scope.of("orchestrator", "ORCHESTRATOR", OrchestratorConfig.definition(),
            Map.of(OrchestratorConfig.ADMIN_PORT, "9464"));
    public static final Scope ADAPTER = Scope.of("adapter", "ADAPTER", AdapterConfig.definition(),
            Map.of("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS, "http.port", "8080", AdapterConfig.ADMIN_PORT, "9467"));
    public static final Scope EDGE_WORKER = Scope.of("edge-worker", "EDGE_WORKER", EdgeWorkerConfig.definition(),
            Map.of("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS, "admin.port", "9465",
                    SimulatedJobController.STOP_LATENCY_MS, "100"));
    /**
     * {@code edge-stop audit what-if|verify}: the orchestrator's settings to re-decide as it decides, but its
     * endpoints' (an in-process replay serves neither) and its checkpoint key's.
     */
    public static final Scope AUDIT = Scope.of("audit", "AUDIT", only(OrchestratorConfig.definition(),
            k -> !k.startsWith("admin.") && !k.startsWith("query.") && !k.startsWith("audit.checkpoint.key.")), Map.of());
    /** Every other command that talks to Kafka (topics, seed, tail, ...): the cluster and the topic prefix. */
    public static final Scope CLI = Scope.of("cli", "CLI", only(OrchestratorConfig.definition(),
            k -> k.equals(OrchestratorConfig.BOOTSTRAP_SERVERS) || k.equals(OrchestratorConfig.TOPIC_PREFIX)), Map.of());
    public static final List<Scope> SCOPES = List.of(ORCHESTRATOR, ADAPTER, EDGE_WORKER, AUDIT, CLI);

    /** The scope of a command by its name: a component's, else {@link #CLI}. */
    public static Scope forCommand(String commandName) {
        return SCOPES.stream().filter(s -> s.name().equals(commandName)).findFirst().orElse(CLI);
    }

    /** The scope of a command, by the {@code edge-stop} command it is or belongs to ({@code audit verify}: audit). */
    static Scope forCommand(picocli.CommandLine.Model.CommandSpec command) {
        picocli.CommandLine.Model.CommandSpec c = command;
        while (c.parent() != null && c.parent().parent() != null) {
            c = c.parent();
        }
        return forCommand(c.name());
    }

    /** The declarations of {@code declared} whose key {@code keep} accepts. */
    private static ConfigDef only(ConfigDef declared, Predicate<String> keep) {
        ConfigDef kept = new ConfigDef();
        declared.configKeys().values().stream().filter(k -> keep.test(k.name)).forEach(kept::define);
        return kept;
    }

    /** A setting given by a flag: its value and the flag's name. */
    record Given(String value, String source) {
    }

    /** A refused setting: the message names the key and where it came from. */
    static final class SettingsException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SettingsException(String message) {
            super(message);
        }
    }

    private final Scope scope;
    private final Map<String, Given> values = new LinkedHashMap<>();

    private Settings(Scope scope) {
        this.scope = scope;
    }

    /**
     * Merges the sources in the order of the rule.
     *
     * @param namedFlags key to (value, flag name) of the named flags given on the command line
     */
    static Settings load(Scope scope, Path configFile, Path kafkaConfigFile, Map<String, String> env,
            Map<String, Given> namedFlags, Map<String, String> sets, Map<String, String> kafkaFlags) {
        Settings s = new Settings(scope);
        scope.defaults().forEach((k, v) -> {
            if (v != null) {
                s.values.put(k, new Given(v, "default"));
            }
        });
        if (configFile != null) {
            readProperties(configFile, "--config").forEach((k, v) -> s.put(k, v, "--config " + configFile));
        }
        if (kafkaConfigFile != null) {
            readProperties(kafkaConfigFile, "--kafka-config").forEach((k, v) -> s.put(KafkaClientSettings.PREFIX + k, v.trim(),
                    "--kafka-config " + kafkaConfigFile));
        }
        new TreeMap<>(env).forEach((variable, v) -> s.putEnvironment(variable, v));
        namedFlags.forEach((k, g) -> s.put(k, g.value(), g.source()));
        sets.forEach((k, v) -> s.put(k, v, "-D/--set"));
        kafkaFlags.forEach((k, v) -> s.put(KafkaClientSettings.PREFIX + k, v, "--kafka"));
        return s;
    }

    private void putEnvironment(String variable, String value) {
        if (!variable.startsWith(ENV_PREFIX)) {
            return;
        }
        if (variable.startsWith(scope.envPrefix())) {
            put(variable.substring(scope.envPrefix().length()).toLowerCase(Locale.ROOT).replace('_', '.'), value,
                    "environment " + variable);
        } else if (SCOPES.stream().noneMatch(other -> variable.startsWith(other.envPrefix()))) {
            throw new SettingsException("environment variable " + variable + " is not a setting: settings variables are "
                    + ENV_PREFIX + "<SCOPE>_<KEY> with SCOPE one of "
                    + String.join(", ", SCOPES.stream().map(Scope::envScope).toList()));
        }
    }

    private void put(String key, String value, String source) {
        String k = key.trim();
        if (!scope.accepts(k)) {
            throw new SettingsException("unknown setting '" + k + "' (from " + source + "); docs/settings.md"
                    + " lists the keys of every command");
        }
        values.put(k, new Given(value, source));
    }

    private static Map<String, String> readProperties(Path file, String option) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new SettingsException("cannot read " + option + " " + file + ": " + e);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    public Scope scope() {
        return scope;
    }

    /** The merged settings, for the component's config class. */
    public Map<String, String> map() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, g) -> m.put(k, g.value()));
        return m;
    }

    public String get(String key) {
        Given g = values.get(key);
        return g == null ? null : g.value();
    }

    /** Where the value of {@code key} came from ("default", "--config FILE", "environment VAR", a flag), or null. */
    public String source(String key) {
        Given g = values.get(key);
        return g == null ? null : g.source();
    }

    /**
     * The typed view of these settings, e.g. {@code OrchestratorConfig::fromMap}; its refusal comes
     * back with the source of every key its message names.
     */
    public <T> T view(Function<Map<String, String>, T> configClass) {
        try {
            return configClass.apply(map());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage() + sourcesNamedIn(e.getMessage()));
        }
    }

    private String sourcesNamedIn(String message) {
        if (message == null) {
            return "";
        }
        List<String> named = values.keySet().stream().sorted(Comparator.comparing(String::length).reversed())
                .filter(message::contains).toList();
        return named.isEmpty() ? "" : " (" + String.join(", ", named.stream().map(k -> k + " from " + source(k)).toList()) + ")";
    }

    /** Every setting in force with its source, secret values hidden. */
    public void print(PrintWriter out) {
        Map<String, String> shown = KafkaClientSettings.redact(new TreeMap<>(map()));
        shown.forEach((k, v) -> out.println(k + "=" + v + "    # " + source(k)));
        out.flush();
    }
}
