package io.edgestop.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one rule for Kafka client settings of every component and CLI command: the {@code kafka.*}
 * keys of a component's settings, without the prefix, go to every Kafka client it creates
 * (producer, consumer, admin, Streams) on top of the component's own defaults — so a
 * {@code security.protocol}, {@code sasl.jaas.config} or {@code ssl.*} given once reaches them all.
 * Values of password-like keys never leave this class in {@link #toString()}.
 */
public final class KafkaClientSettings {

    /** The prefix of client settings among a component's settings. */
    public static final String PREFIX = "kafka.";

    private static final String REDACTED = "[hidden]";

    private final Map<String, String> values;

    private KafkaClientSettings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No client settings beyond the component defaults. */
    public static KafkaClientSettings none() {
        return new KafkaClientSettings(Map.of());
    }

    /** Client settings as the client knows them, e.g. {@code security.protocol=SASL_SSL}. */
    public static KafkaClientSettings of(Map<String, String> clientSettings) {
        return new KafkaClientSettings(clientSettings);
    }

    /** The {@code kafka.*} keys of a component's settings, without the prefix; other keys are not client settings. */
    public static KafkaClientSettings fromComponentSettings(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && k.length() > PREFIX.length()) {
                out.put(k.substring(PREFIX.length()), v);
            }
        });
        return new KafkaClientSettings(out);
    }

    /** A client properties file (the format of Kafka's own {@code --command-config}), keys without prefix. */
    public static KafkaClientSettings load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return new KafkaClientSettings(m);
    }

    /**
     * Environment variables {@code <prefix>KAFKA_<KEY>}, the key upper-cased with dots as underscores:
     * with prefix {@code EDGESTOP_ORCHESTRATOR_}, {@code EDGESTOP_ORCHESTRATOR_KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}
     * (Kafka's keys have no underscores): the rule of the launcher's settings loader, for a process that is no command.
     */
    public static KafkaClientSettings fromEnvironment(Map<String, String> env, String prefix) {
        String start = prefix + "KAFKA_";
        Map<String, String> m = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(start) && k.length() > start.length()) {
                m.put(k.substring(start.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return new KafkaClientSettings(m);
    }

    /** The environment variables {@link #fromEnvironment} reads back as these settings, for a child process. */
    public Map<String, String> toEnvironment(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(prefix + "KAFKA_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        return m;
    }

    /** These settings, then {@code later}'s, which win on the same key. */
    public KafkaClientSettings with(KafkaClientSettings later) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(later.values);
        return new KafkaClientSettings(m);
    }

    /** The settings as the client knows them (no prefix). */
    public Map<String, String> asMap() {
        return values;
    }

    /** The settings as {@code kafka.*} component settings, for handing to a component. */
    public Map<String, String> asComponentSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(PREFIX + k, v));
        return m;
    }

    /** A new client's properties: bootstrap servers, then these settings (see {@link KafkaClientProperties} for a client with defaults). */
    public Properties clientProperties(String bootstrapServers) {
        return KafkaClientProperties.of(bootstrapServers, this).build();
    }

    /** Whether a setting's value is a secret: JAAS configs carry passwords, and every *.password / *.key / *.token. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("jaas.config") || k.contains("password") || k.endsWith(".key") || k.contains("secret")
                || k.contains("credentials") || k.endsWith(".token");
    }

    /** For a log line or a config print: every key, secret values hidden. */
    public Map<String, String> redacted() {
        return redact(values);
    }

    /** A component's settings for a log line or a config print: secret values of any key hidden. */
    public static Map<String, String> redact(Map<String, String> componentSettings) {
        Map<String, String> m = new LinkedHashMap<>();
        componentSettings.forEach((k, v) -> m.put(k, isSecret(k) ? REDACTED : v));
        return m;
    }

    @Override
    public String toString() {
        return "KafkaClientSettings" + redacted();
    }
}
