package io.edgestop.kafka;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The one place a Kafka client's properties are put together, in three layers, later winning: the
 * component's defaults (the bootstrap servers among them), its {@code kafka.*} client settings
 * ({@link KafkaClientSettings}), then what the component keeps whatever those say (where a client
 * goes and who it is where that matters, what its correctness relies on). Which layer a property
 * sits in is the component's choice; the order is not. {@link #toString()} hides secret values.
 */
public final class KafkaClientProperties {

    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Map<String, Object> given;
    private final Map<String, Object> kept = new LinkedHashMap<>();
    private final Set<String> dropped = new LinkedHashSet<>();

    private KafkaClientProperties(Map<String, ?> given) {
        this.given = new LinkedHashMap<>(given);
    }

    /** A client of {@code bootstrapServers} (a default: a {@code kafka.bootstrap.servers} wins unless kept) with these client settings. */
    public static KafkaClientProperties of(String bootstrapServers, KafkaClientSettings settings) {
        return new KafkaClientProperties(settings.asMap()).withDefault(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /**
     * A client of a command's client properties as a whole (bootstrap servers and client settings, as
     * {@link KafkaClientSettings#clientProperties(String)} makes them): they sit in the middle layer.
     */
    public static KafkaClientProperties of(Properties client) {
        Map<String, Object> m = new LinkedHashMap<>();
        client.forEach((k, v) -> m.put((String) k, v));
        return new KafkaClientProperties(m);
    }

    /** A default of the component: any client setting of the same key wins. */
    public KafkaClientProperties withDefault(String key, Object value) {
        defaults.put(key, value);
        return this;
    }

    /** A property the component keeps: it wins over the client settings. */
    public KafkaClientProperties keep(String key, Object value) {
        kept.put(key, value);
        dropped.remove(key);
        return this;
    }

    /** The bootstrap servers given to {@link #of(String, KafkaClientSettings)}, kept: no {@code kafka.bootstrap.servers} redirects this client. */
    public KafkaClientProperties keepBootstrapServers() {
        Object servers = defaults.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null) {
            throw new IllegalStateException("no bootstrap servers given apart from the client settings");
        }
        return keep(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
    }

    /** A property the client never gets, whatever the client settings say (a group id for a consumer that must have none). */
    public KafkaClientProperties drop(String key) {
        kept.remove(key);
        dropped.add(key);
        return this;
    }

    /** The client's properties: defaults, then client settings, then what the component keeps; a new object each time. */
    public Properties build() {
        Properties p = new Properties();
        p.putAll(defaults);
        p.putAll(given);
        p.putAll(kept);
        dropped.forEach(p::remove);
        return p;
    }

    @Override
    public String toString() {
        Map<String, String> m = new TreeMap<>();
        build().forEach((k, v) -> m.put((String) k, String.valueOf(v)));
        return "KafkaClientProperties" + KafkaClientSettings.redact(m);
    }
}
