package io.edgestop.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop seed}: load a seed file into a running cluster. */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Load a seed file (accounts, policies, jobs) into a running cluster. Without FILE: the demo seed.")
final class SeedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Seed file (YAML).")
    Path file;

    @Override
    public Integer call() throws Exception {
        Seed seed = Seed.loadOrDemo(file);
        SeedLoader.Loaded loaded = SeedLoader.load(kafka.bootstrapServers, kafka.topics(), seed);
        spec.commandLine().getOut().println("loaded " + loaded + " from " + (file == null ? "the demo seed" : file)
                + " into " + kafka.bootstrapServers);
        return 0;
    }
}
