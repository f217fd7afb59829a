package io.edgestop.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import io.edgestop.orchestrator.kafka.TopicProvisioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop topics}: create every topic (idempotent). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create every topic of the system, plus the directive topic of each cluster and the command topic of each async producer (idempotent).")
final class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor (default ${DEFAULT-VALUE}; use 3 in production).")
    short replicationFactor;

    @Option(names = "--cluster", paramLabel = "CLUSTER_ID", description = "Also create the directive and report topics of this edge cluster (repeatable).")
    List<String> clusters = new ArrayList<>();

    @Option(names = "--async-producer", paramLabel = "NAME",
            description = "Also create the command topic async-commands.NAME of this async producer (repeatable; list it in the orchestrator's async.producers).")
    List<String> asyncProducers = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "FILE|demo", description = "Also create the directive and report topics of the clusters named in this seed.")
    String seed;

    @Override
    public Integer call() throws Exception {
        TreeSet<String> all = new TreeSet<>(clusters);
        if (seed != null) {
            all.addAll(Seed.named(seed).clusters());
        }
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicProvisioner.createAll(admin, kafka.topics(), partitions, replicationFactor);
            if (!all.isEmpty()) {
                TopicProvisioner.createDirectiveTopics(admin, kafka.topics(), all, partitions, replicationFactor);
            }
            TopicProvisioner.createAsyncCommandTopics(admin, kafka.topics(), asyncProducers, partitions, replicationFactor);
        }
        spec.commandLine().getOut().println("topics ready under prefix " + kafka.topicPrefix + " on "
                + kafka.bootstrapServers + (all.isEmpty() ? "" : " (directive and report topics for " + String.join(", ", all) + ")")
                + (asyncProducers.isEmpty() ? "" : " (async command topics for " + String.join(", ", new TreeSet<>(asyncProducers)) + ")"));
        return 0;
    }
}
