package io.edgestop.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

import io.edgestop.topics.Topics;
import picocli.CommandLine.Option;

/** Options every command talking to Kafka shares. */
public final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of every topic (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "Extra component setting (repeatable), e.g. -D kafka.linger.ms=5.")
    Map<String, String> extra = new LinkedHashMap<>();

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /** bootstrap.servers, topic.prefix and the -D settings. */
    public Map<String, String> baseSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        m.put("topic.prefix", topicPrefix);
        m.putAll(extra);
        return m;
    }
}
