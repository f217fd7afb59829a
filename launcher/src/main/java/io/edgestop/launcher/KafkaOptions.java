package io.edgestop.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The settings options every command talking to Kafka shares, resolved by the one rule of
 * {@link Settings}: defaults &lt; {@code --config} &lt; {@code --kafka-config} &lt; environment &lt;
 * named flags &lt; {@code -D/--set} &lt; {@code --kafka}. A named flag of a command is a setting when
 * its {@code descriptionKey} is the key it sets (e.g. {@code --admin-port} sets {@code admin.port});
 * {@link EdgeStopCli} shows the key's default in its help.
 */
public final class KafkaOptions {

    /** The command or mixin this is mixed into; {@link #command()} is the command. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-b", "--bootstrap-servers"}, descriptionKey = "bootstrap.servers",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", descriptionKey = "topic.prefix", description = "Prefix of every topic (default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (properties, the keys of docs/settings.md).")
    Path configFile;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = {"Kafka client settings file (properties, e.g. security.protocol, sasl.mechanism, sasl.jaas.config)",
                "for every Kafka client of this command; its keys are the kafka.* settings."})
    Path kafkaConfig;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "One Kafka client setting (repeatable), e.g. --kafka sasl.mechanism=SCRAM-SHA-256: the setting kafka.KEY.")
    Map<String, String> kafkaSettings = new LinkedHashMap<>();

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = {"Any setting of this command (repeatable), e.g. -D kafka.linger.ms=5; wins over file, environment and named flags.",
                "Give secrets through the environment (EDGESTOP_<SCOPE>_<KEY>) or a file, not on a command line others can list."})
    Map<String, String> extra = new LinkedHashMap<>();

    private Settings settings;

    /** This command's settings (resolved once); an unknown key or a refused value is a usage error (exit code 2). */
    public Settings settings() {
        if (settings == null) {
            try {
                settings = Settings.load(Settings.forCommand(command()), configFile, kafkaConfig, System.getenv(),
                        namedFlags(), extra, kafkaSettings);
            } catch (Settings.SettingsException e) {
                throw usageError(e);
            }
            bootstrapServers = settings.get("bootstrap.servers");
            topicPrefix = settings.get("topic.prefix");
        }
        return settings;
    }

    /** The settings' typed view (a config class's {@code fromMap}); a refusal is a usage error naming the key's source. */
    public <T> T view(java.util.function.Function<Map<String, String>, T> configClass) {
        Settings s = settings();
        try {
            return s.view(configClass);
        } catch (Settings.SettingsException e) {
            throw usageError(e);
        }
    }

    private CommandLine.ParameterException usageError(Settings.SettingsException e) {
        CommandSpec command = command();
        return new CommandLine.ParameterException(command.commandLine(), command.qualifiedName() + ": " + e.getMessage(), e);
    }

    /** The command itself, also when this is mixed into a mixin of it (the mixee is then that mixin). */
    private CommandSpec command() {
        return mixee.commandLine() == null ? mixee : mixee.commandLine().getCommandSpec();
    }

    /** The named flags given on this command line that set a key: key to (value, flag). */
    private Map<String, Settings.Given> namedFlags() {
        Map<String, Settings.Given> m = new LinkedHashMap<>();
        CommandSpec command = command();
        CommandLine.ParseResult parsed = command.commandLine().getParseResult();
        for (OptionSpec o : command.options()) {
            if (settingKey(o) != null && parsed != null && parsed.hasMatchedOption(o)) {
                List<String> given = o.stringValues();
                m.put(settingKey(o), new Settings.Given(given.get(given.size() - 1), o.longestName()));
            }
        }
        return m;
    }

    /** The key a named flag sets (its {@code descriptionKey}), or null for a flag that sets none. */
    static String settingKey(OptionSpec option) {
        String key = option.descriptionKey();
        // setting keys are lower-case and dotted; picocli's own (--help, --version) are camelCase
        return key != null && key.matches("[a-z0-9]+(\\.[a-z0-9]+)*") ? key : null;
    }

    public Topics topics() {
        return new Topics(settings().get("topic.prefix"));
    }

    /** The Kafka client settings of this command (its kafka.* settings). */
    public KafkaClientSettings clientSettings() {
        return KafkaClientSettings.fromComponentSettings(settings().map());
    }

    /** Properties of a new Kafka client of a CLI command: the bootstrap servers and the client settings. */
    public Properties clientProperties() {
        return clientSettings().clientProperties(settings().get("bootstrap.servers"));
    }

    /** Every setting of this command, merged. */
    public Map<String, String> baseSettings() {
        return settings().map();
    }
}
