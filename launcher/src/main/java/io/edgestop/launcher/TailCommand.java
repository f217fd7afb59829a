package io.edgestop.launcher;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.ReadToEnd;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop tail results|directives|audit}: records as JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print results, directives or audit records as JSON lines.",
            "One line per record:",
            "{\"topic\":...,\"partition\":...,\"offset\":...,\"timestamp\":...,\"key\":...,\"value\":{...}}.",
            "Starts at the end unless --from-beginning (which replays e.g. the whole audit stream). Uses no consumer group."})
final class TailCommand implements Callable<Integer> {

    enum Stream { results, directives, audit }

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "STREAM", description = "results, directives or audit.")
    Stream stream;

    @Option(names = "--from-beginning", description = "Replay from the first record.")
    boolean fromBeginning;

    @Option(names = "--cluster", description = "directives: only this edge cluster (default: every directive topic).")
    String cluster;

    @Option(names = "--max-records", defaultValue = "0", description = "Stop after this many records (0 = never).")
    long maxRecords;

    @Option(names = "--idle-timeout-ms", defaultValue = "0", description = "Stop after this long without a record (0 = never).")
    long idleTimeoutMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Properties p = KafkaClientProperties.of(kafka.clientProperties())
                .withDefault(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                // the orchestrator writes transactionally: what an aborted transaction wrote was never decided
                .withDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .withDefault(ConsumerConfig.CLIENT_ID_CONFIG, "edge-stop-tail")
                .withDefault(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .withDefault(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .build();
        AvroSerde<?> serde = switch (stream) {
            case results -> AvroSerdes.stopResult();
            case directives -> AvroSerdes.stopDirective();
            case audit -> AvroSerdes.auditRecord();
        };
        AtomicBoolean stop = new AtomicBoolean();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                stop.set(true);
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            List<TopicPartition> partitions = partitions(consumer);
            if (partitions.isEmpty()) {
                spec.commandLine().getErr().println("no such topic yet for " + stream + " under prefix "
                        + kafka.topicPrefix + " on " + kafka.bootstrapServers);
                return 1;
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position); // resolve now: records written from here on are shown
            // the idle timeout only starts once what existed at start has been read
            ReadToEnd endAtStart = ReadToEnd.of(consumer, Duration.ofSeconds(30));
            long count = 0;
            long lastRecord = System.nanoTime();
            try {
                while (!stop.get()) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, byte[]> r : records) {
                        out.println(line(r, serde));
                        lastRecord = System.nanoTime();
                        if (maxRecords > 0 && ++count >= maxRecords) {
                            out.flush();
                            return 0;
                        }
                    }
                    out.flush();
                    if (!endAtStart.reached(consumer)) {
                        lastRecord = System.nanoTime();
                    } else if (idleTimeoutMs > 0 && System.nanoTime() - lastRecord > idleTimeoutMs * 1_000_000) {
                        return 0;
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C
            }
            return 0;
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        List<String> topics = new ArrayList<>();
        switch (stream) {
            case results -> topics.add(kafka.topics().stopResults());
            case audit -> topics.add(kafka.topics().audit());
            case directives -> {
                if (cluster != null) {
                    topics.add(kafka.topics().directives(cluster));
                } else {
                    String prefix = kafka.topics().directives("");
                    consumer.listTopics().keySet().stream().filter(t -> t.startsWith(prefix)).sorted()
                            .forEach(topics::add);
                }
            }
        }
        List<TopicPartition> out = new ArrayList<>();
        for (String t : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        return out;
    }

    static String line(ConsumerRecord<String, byte[]> r, AvroSerde<?> serde) {
        ObjectNode o = AvroJson.MAPPER.createObjectNode();
        o.put("topic", r.topic());
        o.put("partition", r.partition());
        o.put("offset", r.offset());
        o.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        o.put("key", r.key());
        if (r.value() == null) {
            o.putNull("value");
        } else {
            try {
                o.set("value", AvroJson.toJson(serde.deserialize(r.topic(), r.value())));
            } catch (RuntimeException e) {
                o.put("error", "undecodable value: " + e.getMessage());
            }
        }
        return o.toString();
    }
}
