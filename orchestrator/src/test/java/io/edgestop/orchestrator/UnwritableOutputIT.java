package io.edgestop.orchestrator;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.api.ApiError;
import io.edgestop.orchestrator.decision.CommandSize;
import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * Outputs that cannot be written, on a real broker with an authorizer: a cluster never seen before
 * (its topic is created), a cluster whose topic the orchestrator may not create, one it may not
 * write, and a command whose audit record would be larger than a request may be. One account, one
 * stream thread: every command is decided by the same task, and a command of a working cluster is
 * decided between each pair of faults. Then a directive topic deleted after it was prepared (created again, the stop
 * decided), and close() within its bound while a send is stuck on a deleted topic.
 */
class UnwritableOutputIT {

    private static final Logger log = LoggerFactory.getLogger(UnwritableOutputIT.class);
    private static final String ACCOUNT = "acct-1";
    private static final String ANONYMOUS = "User:ANONYMOUS"; // every PLAINTEXT client, the orchestrator included
    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.inProcess(Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "true", // a resource without ACLs is open; the test denies a few
                "auto.create.topics.enable", "false")); // as in production: a producer cannot create a missing topic
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void unwritableOutputsAreAnsweredAndNeverStallOtherCommands() throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = new Topics(prefix);
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of("cluster-a"), 2, (short) 1);
            // the orchestrator's principal may not create topics in general, nor no-create's, nor write no-write's
            admin.createAcls(List.of(
                    acl(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), AclOperation.ALL, AclPermissionType.ALLOW),
                    acl(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), AclOperation.CREATE, AclPermissionType.DENY),
                    acl(topic(topics.directives("no-create")), AclOperation.ALL, AclPermissionType.ALLOW),
                    acl(topic(topics.directives("no-create")), AclOperation.CREATE, AclPermissionType.DENY),
                    acl(topic(topics.directives("no-write")), AclOperation.ALL, AclPermissionType.ALLOW),
                    acl(topic(topics.directives("no-write")), AclOperation.WRITE, AclPermissionType.DENY)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        long before = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topics.accountSettings(), null, before, ACCOUNT, AvroSerdes.accountSettings()
                    .serialize("", AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true).setRevision(1).build())));
            for (String cluster : List.of("cluster-a", "new-cluster", "no-create", "no-write")) {
                for (int j = 1; j <= 7; j++) {
                    producer.send(new ProducerRecord<>(topics.jobState(), null, before, JobKey.of(cluster, "job-" + j),
                            AvroSerdes.jobState().serialize("", JobState.newBuilder().setClusterId(cluster).setJobId("job-" + j)
                                    .setAccountId(ACCOUNT).setDomainName("d.example.com").setStatus(JobStatus.RUNNING)
                                    .setRevision(1).build())));
                }
            }
            producer.flush();
        }

        Orchestrator orchestrator = Orchestrator.start(config(prefix));
        Map<String, StopResult> results = new ConcurrentHashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer();
             KafkaConsumer<String, byte[]> reader = resultReader(topics)) {
            assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(60)), "orchestrator running");
            Decided decided = new Decided(producer, reader, topics, results);

            long t0 = System.nanoTime();
            assertEquals(Outcome.ACCEPTED, decided.stop("a-1", "cluster-a", "job-1").getOutcome());
            // a cluster seen only in job-state: its topic was created with the documented settings
            assertEquals(Outcome.ACCEPTED, decided.stop("new-1", "new-cluster", "job-1").getOutcome());
            try (Admin admin = broker.admin()) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topics.directives("new-cluster"));
                Config c = admin.describeConfigs(Set.of(r)).all().get(10, TimeUnit.SECONDS).get(r);
                TopicProvisioner.directiveTopicConfig().forEach((k, v) -> assertEquals(v, c.get(k).value(), k));
                assertEquals(2, admin.describeTopics(Set.of(r.name())).allTopicNames().get().get(r.name()).partitions().size());
            }
            assertEquals(Outcome.ACCEPTED, decided.stop("a-2", "cluster-a", "job-2").getOutcome());
            // a topic that may not be created: missing, so nothing is sent
            StopResult noCreate = decided.stop("no-create-1", "no-create", "job-1");
            assertEquals(ApiError.EDGE_CLUSTER_UNAVAILABLE.code(), noCreate.getCode());
            assertEquals(503, noCreate.getHttpStatus());
            assertEquals(Outcome.ACCEPTED, decided.stop("a-3", "cluster-a", "job-3").getOutcome());
            // a topic that may not be written
            assertEquals(ApiError.EDGE_CLUSTER_UNAVAILABLE.code(), decided.stop("no-write-1", "no-write", "job-1").getCode());
            assertEquals(Outcome.ACCEPTED, decided.stop("new-2", "new-cluster", "job-2").getOutcome());
            // a command that fits stop-commands but whose audit record (the command, the ids again) would not fit a request
            String big = "x".repeat(300_000);
            StopCommand huge = command("big-" + big, "cluster-a", "job-4").setPrincipal(big).setJobId(big).build();
            StopResult tooBig = decided.send(huge, "big-" + big.substring(0, CommandSize.MAX_FIELD_CHARS - 4));
            assertEquals(ApiError.INVALID_PARAMETER.code(), tooBig.getCode());
            assertEquals(Outcome.ACCEPTED, decided.stop("a-4", "cluster-a", "job-4").getOutcome());
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            log.info("UnwritableOutputIT: {} commands decided in {} ms: {}", results.size(), tookMs,
                    results.values().stream().map(r -> r.getCode() == null ? "OK" : r.getCode()).sorted().toList());
            assertEquals(9, results.size());
            assertEquals(2, orchestratorMetric(orchestrator));

            // a topic deleted after it was prepared: the send waits for it until the orchestrator has created it again
            try (Admin admin = broker.admin()) {
                admin.deleteTopics(Set.of(topics.directives("cluster-a"))).all().get(30, TimeUnit.SECONDS);
            }
            long deleted = System.nanoTime();
            producer.send(new ProducerRecord<>(topics.stopCommands(), ACCOUNT,
                    AvroSerdes.stopCommand().serialize("", command("deleted-1", "cluster-a", "job-5").build()))).get();
            assertEquals(Outcome.ACCEPTED, decided.await("deleted-1", Duration.ofSeconds(45)).getOutcome());
            log.info("UnwritableOutputIT: a stop for a deleted directive topic decided {} ms after the deletion",
                    (System.nanoTime() - deleted) / 1_000_000);
            assertEquals(Outcome.ACCEPTED, decided.stop("a-5", "cluster-a", "job-6").getOutcome());

            // a stuck send (deleted again, not created yet): close() is bounded all the same
            try (Admin admin = broker.admin()) {
                admin.deleteTopics(Set.of(topics.directives("cluster-a"))).all().get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>(topics.stopCommands(), ACCOUNT,
                    AvroSerdes.stopCommand().serialize("", command("stuck-1", "cluster-a", "job-7").build()))).get();
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(UnwritableOutputIT::aSendIsStuck);
        } finally {
            long closing = System.nanoTime();
            orchestrator.close();
            long closeMs = (System.nanoTime() - closing) / 1_000_000;
            log.info("UnwritableOutputIT: close() with a stuck send took {} ms", closeMs);
            assertTrue(closeMs < 15_000, "close() took " + closeMs + " ms");
        }
    }

    /** The decider's count of commands answered ServiceUnavailable.EdgeCluster, over every stream thread. */
    private static long orchestratorMetric(Orchestrator orchestrator) {
        return Math.round(orchestrator.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("edge-cluster-unavailable-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum());
    }

    /**
     * True when a thread of this JVM waits in the producer for the deleted topic: for its metadata in send()
     * or, when the metadata was cached, for its batch in the commit (the stuck state).
     */
    private static boolean aSendIsStuck() {
        Set<String> waits = Set.of("waitOnMetadata", "commitTransaction", "flush");
        return Thread.getAllStackTraces().values().stream().anyMatch(stack -> List.of(stack).stream()
                .anyMatch(f -> f.getClassName().equals(KafkaProducer.class.getName()) && waits.contains(f.getMethodName())));
    }

    /** Sends commands and waits for their decision on stop-results. */
    private record Decided(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> reader, Topics topics,
                           Map<String, StopResult> results) {

        StopResult stop(String requestId, String cluster, String job) throws Exception {
            return send(command(requestId, cluster, job).build(), requestId);
        }

        StopResult send(StopCommand c, String resultKey) throws Exception {
            producer.send(new ProducerRecord<>(topics.stopCommands(), ACCOUNT, AvroSerdes.stopCommand().serialize("", c))).get();
            return await(resultKey, Duration.ofSeconds(15));
        }

        StopResult await(String resultKey, Duration atMost) {
            Awaitility.await().atMost(atMost).until(() -> {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    results.put(r.key(), AvroSerdes.stopResult().deserialize(r.topic(), r.value()));
                }
                return results.containsKey(resultKey);
            });
            return results.get(resultKey);
        }
    }

    private static StopCommand.Builder command(String requestId, String cluster, String job) {
        return StopCommand.newBuilder().setRequestId(requestId).setAccountId(ACCOUNT).setPrincipal("acs:ram::" + ACCOUNT + ":root")
                .setRequestTime(Instant.now()).setClusterId(cluster).setJobId(job).setReplyTo("it");
    }

    private OrchestratorConfig config(String prefix) {
        return OrchestratorConfig.fromMap(Map.of(
                OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                OrchestratorConfig.TOPIC_PREFIX, prefix,
                OrchestratorConfig.APPLICATION_ID, "unwritable-" + prefix.replace(".", ""),
                OrchestratorConfig.STATE_DIR, dir.resolve("state").toString(),
                OrchestratorConfig.REPLICATION_FACTOR, "1",
                OrchestratorConfig.NUM_STANDBY_REPLICAS, "0",
                OrchestratorConfig.NUM_STREAM_THREADS, "1",
                OrchestratorConfig.TOPIC_PARTITIONS, "2",
                OrchestratorConfig.DIRECTIVE_DEADLINE_MS, "600000"));
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding acl(ResourcePattern resource, AclOperation op, AclPermissionType permission) {
        return new AclBinding(resource, new AccessControlEntry(ANONYMOUS, "*", op, permission));
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, byte[]> resultReader(Topics topics) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "unwritable-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(List.of(topics.stopResults()));
        return c;
    }
}
