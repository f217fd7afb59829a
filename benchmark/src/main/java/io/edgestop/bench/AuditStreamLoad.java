package io.edgestop.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fills a running deployment's audit stream (e.g. {@code edge-stop dev}'s) for measuring
 * {@code edge-stop audit verify} and {@code what-if}: seeds the benchmark workload's accounts,
 * policies and jobs under the deployment's prefix, sends commands of the mix to stop-commands at a
 * fixed rate, and returns once the audit topic has stopped growing.
 */
@Command(name = "audit-stream-load", mixinStandardHelpOptions = true,
        description = "Seeds the benchmark workload into a running deployment and sends it commands, for the audit tools.")
public final class AuditStreamLoad implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE", description = "One Kafka client setting (repeatable).")
    Map<String, String> kafkaSettings = new LinkedHashMap<>();

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--accounts", defaultValue = "1000", description = "Accounts (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--throttled-accounts", defaultValue = "5", description = "Accounts with a quota of 60/minute (default ${DEFAULT-VALUE}).")
    int throttledAccounts;

    @Option(names = "--jobs", defaultValue = "20000", description = "Running jobs (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--clusters", defaultValue = "2", description = "Edge clusters (default ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--mix", defaultValue = "accepted=70,notfound=10,forbidden=10,throttled=10", description = "Command mix (default ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--commands", defaultValue = "20000", description = "Commands to send (default ${DEFAULT-VALUE}).")
    int commands;

    @Option(names = "--rate", defaultValue = "1000", description = "Commands per second, 0 = flat out (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--random-seed", defaultValue = "42", description = "Seed of the workload's choices and request ids (default ${DEFAULT-VALUE}).")
    long randomSeed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AuditStreamLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Bench.Env env = new Bench.Env(bootstrapServers, KafkaClientSettings.of(kafkaSettings));
        Topics topics = new Topics(topicPrefix);
        Workload workload = new Workload(accounts, throttledAccounts, jobs, 0, clusters, Workload.Mix.parse(mix), randomSeed);
        long seeded = BenchmarkMain.seed(env, topics, workload);
        System.out.println("seeded " + seeded + " records");
        Pacer pacer = new Pacer(rate);
        long start = System.nanoTime();
        try (KafkaProducer<String, StopCommand> producer = new KafkaProducer<>(env.producerProps(rate > 0 ? 0 : 5),
                new StringSerializer(), AvroSerdes.stopCommand())) {
            for (int i = 0; i < commands; i++) {
                long due = pacer.await();
                StopCommand command = workload.next("audit-stream-load").command();
                producer.send(new ProducerRecord<>(topics.stopCommands(), command.getAccountId(), command));
                pacer.sent(due);
            }
            producer.flush();
        }
        System.out.printf("sent %d commands in %.1f s%n", commands, (System.nanoTime() - start) / 1e9);
        try (Admin admin = env.admin()) {
            long last = -1;
            long audit = auditEnd(admin, topics);
            while (audit != last) { // settled: no new audit record for 5 s (completions follow the decisions)
                Thread.sleep(5000);
                last = audit;
                audit = auditEnd(admin, topics);
            }
            System.out.println("audit topic end offsets: " + audit);
        }
        return 0;
    }

    private static long auditEnd(Admin admin, Topics topics) throws Exception {
        List<TopicPartition> parts = admin.describeTopics(List.of(topics.audit())).allTopicNames().get().get(topics.audit())
                .partitions().stream().map(p -> new TopicPartition(topics.audit(), p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        parts.forEach(p -> latest.put(p, OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, java.util.concurrent.TimeUnit.SECONDS).values().stream()
                .mapToLong(o -> o.offset()).sum();
    }
}
