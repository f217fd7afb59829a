package io.edgestop.orchestrator;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/** The runner as its own process: config from a file, the environment and flags; topics created; SIGTERM closes it. */
@RealKafka
class OrchestratorMainIT {

    @TempDir
    Path dir;

    @Test
    void runsFromFileEnvAndFlagsAndClosesOnSigterm(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = new Topics(prefix);
        Path config = dir.resolve("orchestrator.properties");
        Files.writeString(config, "bootstrap.servers=" + broker.bootstrapServers() + "\ntopic.prefix=" + prefix
                + "\nreplication.factor=3\ntopic.partitions=2\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrchestratorMain.class.getName(),
                "--config", config.toString(), "--set", "replication.factor=1", "--set", "state.dir=" + dir.resolve("state"),
                "--create-topics", "--cluster", "c1,c2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().put("EDGESTOP_APPLICATION_ID", "main-it-" + prefix.replace(".", ""));
        pb.environment().put("EDGESTOP_NUM_STANDBY_REPLICAS", "0");
        Process process = pb.start();
        try {
            try (Admin admin = broker.admin()) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                        admin.listTopics().names().get().containsAll(Set.of(topics.stopCommands(), topics.audit(),
                                topics.deadLetter(), topics.directives("c1"), topics.directives("c2"))));
            }
            Properties pp = broker.clientProperties();
            pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
                producer.send(new ProducerRecord<>(topics.stopCommands(), "acct", AvroSerdes.stopCommand().serialize("",
                        StopCommand.newBuilder().setRequestId("main-1").setAccountId("acct").setClusterId("c1").setJobId("nope")
                                .setRequestTime(Instant.now()).build())));
            }
            Properties cp = broker.clientProperties();
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "main-it-reader");
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            List<StopResult> results = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(cp)) {
                reader.subscribe(List.of(topics.stopResults()));
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        results.add(AvroSerdes.stopResult().deserialize(r.topic(), r.value()));
                    }
                    return !results.isEmpty();
                });
            }
            assertEquals(Outcome.REJECTED, results.get(0).getOutcome());
            assertEquals("JobNotFound", results.get(0).getCode());

            process.destroy(); // SIGTERM
            long signalled = System.nanoTime();
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "exits within 15 s of SIGTERM");
            System.err.println("orchestrator exited " + (System.nanoTime() - signalled) / 1_000_000 + " ms after SIGTERM");
            String out = Files.readString(dir.resolve("out.log"));
            assertTrue(out.contains("orchestrator closed"), out);
        } finally {
            process.destroyForcibly();
        }
    }
}
