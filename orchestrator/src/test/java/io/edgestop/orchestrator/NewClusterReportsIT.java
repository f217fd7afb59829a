package io.edgestop.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * On a real broker: the report topic of a cluster the orchestrator sees first (created with its
 * directive topic at the cluster's first job) is read by the running orchestrator's report relay,
 * and the cluster's first report closes its stop (COMPLETED) within {@link #BOUND}. When Kafka Streams
 * read the report topics by pattern itself, that took about 50 s (a session timeout), because its
 * stream threads failed once on the new topic and every task waited (docs/security.md, "A new
 * cluster's report topic").
 */
@RealKafka
class NewClusterReportsIT {

    static final String CLUSTER = "edge-new-1";
    static final String ACCOUNT = "acct-new";
    /** The relay's metadata refresh (5 s), its group's rebalance and one commit of each hop, with room for a loaded machine. */
    static final Duration BOUND = Duration.ofSeconds(25);

    @TempDir
    Path stateDir;

    @Test
    void aNewClustersFirstReportClosesItsStop(KafkaBroker broker) throws Exception {
        Topics topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1); // no cluster's topics yet
        }
        Map<String, String> v = new HashMap<>();
        v.put(OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        v.put(OrchestratorConfig.TOPIC_PREFIX, topics.prefix());
        v.put(OrchestratorConfig.APPLICATION_ID, "it-new-cluster-" + topics.prefix().replace(".", ""));
        v.put(OrchestratorConfig.STATE_DIR, stateDir.toString());
        v.put(OrchestratorConfig.REPLICATION_FACTOR, "1");
        v.put(OrchestratorConfig.NUM_STANDBY_REPLICAS, "0");
        v.put(OrchestratorConfig.TOPIC_PARTITIONS, "2");
        OrchestratorConfig config = OrchestratorConfig.fromMap(v);
        long deadline = config.directiveDeadlineMs();
        long now = System.currentTimeMillis();
        try (Orchestrator orchestrator = Orchestrator.start(config);
             KafkaProducer<String, byte[]> producer = producer(broker);
             KafkaConsumer<String, byte[]> results = consumer(broker, topics.stopResults());
             KafkaConsumer<String, byte[]> directives = consumer(broker, topics.directives(CLUSTER))) {
            assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(60)), "running");
            producer.send(new ProducerRecord<>(topics.accountSettings(), null, now, ACCOUNT, AvroSerdes.accountSettings()
                    .serialize("", AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true)
                            .setRevision(1).build())));
            // the cluster's first job: the orchestrator creates its directive and report topics
            producer.send(new ProducerRecord<>(topics.jobState(), null, now, JobKey.of(CLUSTER, "job-1"), AvroSerdes.jobState()
                    .serialize("", JobState.newBuilder().setClusterId(CLUSTER).setJobId("job-1").setAccountId(ACCOUNT)
                            .setDomainName("d.example.com").setStatus(JobStatus.RUNNING).setRevision(1).build()))).get();
            try (Admin admin = broker.admin()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get()
                        .containsAll(List.of(topics.directives(CLUSTER), topics.jobStatusReports(CLUSTER))));
            }
            // a stop right away: its worker's report is the first record of the new report topic
            producer.send(new ProducerRecord<>(topics.stopCommands(), ACCOUNT, AvroSerdes.stopCommand().serialize("",
                    StopCommand.newBuilder().setRequestId("r-new").setAccountId(ACCOUNT).setPrincipal("acs:ram::" + ACCOUNT + ":root")
                            .setClusterId(CLUSTER).setJobId("job-1").setRequestTime(Instant.ofEpochMilli(now))
                            .setReplyTo("it").build()))).get();
            StopDirective[] directive = new StopDirective[1];
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : directives.poll(Duration.ofMillis(200))) {
                    directive[0] = AvroSerdes.stopDirective().deserialize(r.topic(), r.value());
                }
                return directive[0] != null;
            });
            String topic = topics.jobStatusReports(CLUSTER);
            long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, JobKey.of(CLUSTER, "job-1"), AvroSerdes.jobStatusReport().serialize(topic,
                    JobStatusReport.newBuilder().setClusterId(CLUSTER).setJobId("job-1").setStatus(JobStatus.STOPPED)
                            .setStoppedAt(Instant.now()).setDirectiveId(directive[0].getDirectiveId()).setRequestId("r-new")
                            .setWorkerId("w-new").setReportedAt(Instant.now()).build()))).get(30, TimeUnit.SECONDS);
            StopResult[] closed = new StopResult[1];
            // the stop's last deadline (attempts x deadline) is the bound: past it the stop ends TIMED_OUT
            Awaitility.await().atMost(Duration.ofMillis(deadline * (config.directiveMaxAttempts() + 1))).until(() -> {
                for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(100))) {
                    StopResult res = AvroSerdes.stopResult().deserialize(r.topic(), r.value());
                    if (res.getOutcome() != Outcome.ACCEPTED) {
                        closed[0] = res;
                    }
                }
                return closed[0] != null;
            });
            long readMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            System.out.println("new cluster's first report closed its stop " + readMs + " ms after it was written");
            assertEquals(Outcome.COMPLETED, closed[0].getOutcome());
            assertTrue(readMs <= BOUND.toMillis(), "the new cluster's first report closed its stop after " + readMs + " ms");
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker, String topic) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(List.of(topic));
        return c;
    }
}
