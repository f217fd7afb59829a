package io.edgestop.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A principal's side of the secured test broker ({@link SecuredClusterTest#securedBroker()}): its client
 * settings file as an operator writes it, a component's settings from it, and the CLI run with it.
 */
final class SecuredClients {

    private SecuredClients() {
    }

    /** The client settings file of a principal (SCRAM over SASL_PLAINTEXT), written once into {@code dir}. */
    static Path clientFile(Path dir, String user) throws Exception {
        Path f = dir.resolve(user + ".properties");
        if (!Files.exists(f)) {
            Properties p = new Properties();
            p.put("security.protocol", "SASL_PLAINTEXT");
            p.put("sasl.mechanism", "SCRAM-SHA-256");
            p.put("sasl.jaas.config", SecuredClusterTest.scramJaas(user, SecuredClusterTest.password(user)));
            try (var w = Files.newBufferedWriter(f)) {
                p.store(w, null);
            }
        }
        return f;
    }

    /** The settings of a component's command for this principal: -b, --topic-prefix, --kafka-config. */
    static Map<String, String> settings(KafkaBroker broker, Topics topics, Path clientFile) {
        ComponentOptions o = CommandLine.populateCommand(new ComponentOptions(), "-b", broker.bootstrapServers(),
                "--topic-prefix", topics.prefix(), "--kafka-config", clientFile.toString());
        return o.kafka.baseSettings();
    }

    @Command
    static final class ComponentOptions {
        @Mixin
        KafkaOptions kafka;
    }

    record Cli(int code, String out, String err) { }

    /** An {@code edge-stop} command on this broker and prefix ({@code call} talks HTTP and takes neither). */
    static Cli cli(KafkaBroker broker, Topics topics, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.get(0).equals("call")) {
            all.addAll(List.of("-b", broker.bootstrapServers(), "--topic-prefix", topics.prefix()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeStopCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
