package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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

/**
 * {@code edge-stop orchestrator} as its own process, the way the fault tests and the benchmark run
 * it: settings from a file, the environment and flags (each overriding the one before), a decision
 * made, and SIGTERM closing it within 15 s.
 */
@RealKafka
class OrchestratorProcessTest {

    @TempDir
    Path dir;

    @Test
    void runsFromFileEnvironmentAndFlagsAndClosesOnSigterm(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = new Topics(prefix);
        StringWriter topicsOut = new StringWriter();
        assertEquals(0, EdgeStopCli.commandLine(new PrintWriter(topicsOut), new PrintWriter(topicsOut)).execute("topics",
                "-b", broker.bootstrapServers(), "--topic-prefix", prefix, "--partitions", "2", "--replication-factor", "1"),
                topicsOut.toString());

        // replication.factor 3 in the file cannot work on one broker: the flag must win over it
        Path config = Files.writeString(dir.resolve("orchestrator.properties"), "bootstrap.servers=" + broker.bootstrapServers()
                + "\ntopic.prefix=" + prefix + "\nreplication.factor=3\napplication.id=from-file\n");
        String appId = "process-test-" + prefix.replace(".", "");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EdgeStopCli.class.getName(), "orchestrator",
                "--config", config.toString(), "--replication-factor", "1", "--set", "state.dir=" + dir.resolve("state"),
                "--admin-port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().put("EDGESTOP_ORCHESTRATOR_APPLICATION_ID", appId);
        pb.environment().put("EDGESTOP_ORCHESTRATOR_NUM_STANDBY_REPLICAS", "0");
        pb.environment().put("EDGESTOP_ADAPTER_HTTP_PORT", "1"); // another command's: not the orchestrator's business
        Process process = pb.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String out = Files.readString(dir.resolve("out.log"));
                assertTrue(process.isAlive(), () -> "exited: " + out);
                return out.contains(OrchestratorCommand.RUNNING);
            });
            String running = Files.readString(dir.resolve("out.log"));
            assertTrue(running.contains(OrchestratorCommand.RUNNING + " (" + appId + " on " + broker.bootstrapServers()), running);

            Properties pp = broker.clientProperties();
            pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
                producer.send(new ProducerRecord<>(topics.stopCommands(), "acct", AvroSerdes.stopCommand().serialize("",
                        StopCommand.newBuilder().setRequestId("process-1").setAccountId("acct").setClusterId("c1")
                                .setJobId("nope").setRequestTime(Instant.now()).build())));
            }
            Properties cp = broker.clientProperties();
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "process-test-reader");
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
            System.err.println("edge-stop orchestrator exited " + (System.nanoTime() - signalled) / 1_000_000
                    + " ms after SIGTERM");
            String out = Files.readString(dir.resolve("out.log"));
            assertTrue(out.contains("orchestrator: stopped"), out);
        } finally {
            process.destroyForcibly();
        }
    }
}
