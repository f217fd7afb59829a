package io.edgestop.launcher;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop seed}: load a seed file into a running cluster. */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = {"Load a seed file (accounts, credentials, policies, jobs) into a running cluster.",
            "The demo seed (public access keys) only when named: edge-stop seed demo."})
final class SeedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "FILE|demo", description = "Seed file (YAML), or demo for the demo seed.")
    String seedName;

    @Override
    public Integer call() throws Exception {
        Seed seed = Seed.named(seedName);
        SeedLoader.Loaded loaded = SeedLoader.load(kafka.clientProperties(), kafka.topics(), seed);
        spec.commandLine().getOut().println("loaded " + loaded + " from "
                + (Seed.DEMO.equals(seedName) ? "the demo seed" : seedName) + " into " + kafka.bootstrapServers);
        return 0;
    }
}
