package io.edgestop.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.topics.Topics;
import picocli.CommandLine.Option;

/**
 * Options every command talking to Kafka shares. Kafka client settings come, later winning, from
 * {@code --kafka-config FILE}, then {@code -D kafka.KEY=VALUE}, then {@code --kafka KEY=VALUE}, and
 * reach every client of the command ({@link KafkaClientSettings}).
 */
public final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of every topic (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:EDGE_STOP_KAFKA_CONFIG}",
            description = {"Kafka client settings file (properties, e.g. security.protocol, sasl.mechanism, sasl.jaas.config)",
                "for every Kafka client of this command (default: $EDGE_STOP_KAFKA_CONFIG)."})
    Path kafkaConfig;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "One Kafka client setting (repeatable), over --kafka-config, e.g. --kafka sasl.mechanism=SCRAM-SHA-256.")
    Map<String, String> kafkaSettings = new LinkedHashMap<>();

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "Extra component setting (repeatable), e.g. -D kafka.linger.ms=5.")
    Map<String, String> extra = new LinkedHashMap<>();

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /** The Kafka client settings of this command. */
    public KafkaClientSettings clientSettings() {
        try {
            KafkaClientSettings file = kafkaConfig == null ? KafkaClientSettings.none() : KafkaClientSettings.load(kafkaConfig);
            return file.with(KafkaClientSettings.fromComponentSettings(extra)).with(KafkaClientSettings.of(kafkaSettings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --kafka-config " + kafkaConfig, e);
        }
    }

    /** Properties of a new Kafka client of a CLI command: the bootstrap servers and the client settings. */
    public Properties clientProperties() {
        return clientSettings().clientProperties(bootstrapServers);
    }

    /** bootstrap.servers, topic.prefix, the -D settings and the Kafka client settings as kafka.* keys. */
    public Map<String, String> baseSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        m.put("topic.prefix", topicPrefix);
        m.putAll(extra);
        m.putAll(clientSettings().asComponentSettings());
        return m;
    }
}
