package io.edgestop.orchestrator;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.topology.AuditChain;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/** The orchestrator on a real broker: two instances sharing the work, one closed mid-run; poison records. */
@RealKafka
class TwoInstancesIT {

    static final int PARTITIONS = 4;
    static final List<String> CLUSTERS = List.of("cluster-a", "cluster-b");

    @TempDir
    Path dirs;

    private OrchestratorConfig config(KafkaBroker broker, String prefix, String appId, Path stateDir) {
        Map<String, String> v = new HashMap<>();
        v.put(OrchestratorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        v.put(OrchestratorConfig.TOPIC_PREFIX, prefix);
        v.put(OrchestratorConfig.APPLICATION_ID, appId);
        v.put(OrchestratorConfig.STATE_DIR, stateDir.toString());
        v.put(OrchestratorConfig.REPLICATION_FACTOR, "1");
        v.put(OrchestratorConfig.NUM_STANDBY_REPLICAS, "0");
        v.put(OrchestratorConfig.DIRECTIVE_DEADLINE_MS, "600000");
        v.put("kafka.consumer.session.timeout.ms", "10000");
        v.put("kafka.consumer.heartbeat.interval.ms", "1000");
        return OrchestratorConfig.fromMap(v);
    }

    private Topics provision(KafkaBroker broker, String prefix) {
        Topics topics = new Topics(prefix);
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1);
            TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1); // idempotent
            TopicProvisioner.createDirectiveTopics(admin, topics, CLUSTERS, PARTITIONS, (short) 1);
        }
        return topics;
    }

    private KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p);
    }

    private KafkaConsumer<String, byte[]> consumer(KafkaBroker broker, List<String> topics) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(topics);
        return c;
    }

    @Test
    void twoInstancesDecideEveryCommandExactlyOnceEvenWhenOneCloses(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = provision(broker, prefix);
        String appId = "it-orch-" + prefix.replace(".", "");
        AvroSerde<StopCommand> commandSerde = AvroSerdes.stopCommand();
        long now = System.currentTimeMillis();
        int accounts = 6;
        int jobsPerAccount = 10;
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            for (int a = 0; a < accounts; a++) {
                String account = "acct" + a;
                producer.send(new ProducerRecord<>(topics.accountSettings(), null, now - 60_000, account,
                        AvroSerdes.accountSettings().serialize("", AccountSettings.newBuilder().setAccountId(account)
                                .setEdgeTranscodeEnabled(true).setRevision(1).build())));
                for (int j = 0; j < jobsPerAccount; j++) {
                    String cluster = CLUSTERS.get(j % 2);
                    JobState job = JobState.newBuilder().setClusterId(cluster).setJobId("job" + a + "-" + j).setAccountId(account)
                            .setDomainName("d.example.com").setStatus(JobStatus.RUNNING).setRevision(1).build();
                    producer.send(new ProducerRecord<>(topics.jobState(), null, now - 60_000, JobKey.of(cluster, job.getJobId()),
                            AvroSerdes.jobState().serialize("", job)));
                }
            }
            producer.flush();
        }

        Orchestrator a = Orchestrator.start(config(broker, prefix, appId, dirs.resolve("a")));
        Orchestrator b = Orchestrator.start(config(broker, prefix, appId, dirs.resolve("b")));
        try {
            assertTrue(a.awaitRunning(Duration.ofSeconds(60)), "instance a running");
            assertTrue(b.awaitRunning(Duration.ofSeconds(60)), "instance b running");

            // commands: each job stopped twice (second joins), plus malformed and unknown jobs
            List<StopCommand> commands = new ArrayList<>();
            Random random = new Random(7);
            for (int round = 0; round < 2; round++) {
                for (int a1 = 0; a1 < accounts; a1++) {
                    for (int j = 0; j < jobsPerAccount; j++) {
                        commands.add(StopCommand.newBuilder().setRequestId("req-" + round + "-" + a1 + "-" + j)
                                .setAccountId("acct" + a1).setPrincipal("acs:ram::acct" + a1 + ":root")
                                .setClusterId(CLUSTERS.get(j % 2)).setJobId("job" + a1 + "-" + j)
                                .setRequestTime(Instant.ofEpochMilli(now)).setReplyTo("it").build());
                    }
                }
            }
            for (int i = 0; i < 20; i++) {
                commands.add(StopCommand.newBuilder().setRequestId("bad-" + i).setAccountId("acct" + (i % accounts))
                        .setClusterId(i % 2 == 0 ? null : "cluster-a").setJobId(i % 2 == 0 ? "x" : "missing-" + i)
                        .setPrincipal("acs:ram::acct" + (i % accounts) + ":root").setRequestTime(Instant.ofEpochMilli(now)).build());
            }
            Map<String, StopResult> decisions = new ConcurrentHashMap<>();
            Map<String, Integer> decisionCounts = new ConcurrentHashMap<>();
            Map<String, Integer> attemptOne = new ConcurrentHashMap<>();
            List<String> readTopics = new ArrayList<>(List.of(topics.stopResults()));
            CLUSTERS.forEach(c -> readTopics.add(topics.directives(c)));
            try (KafkaProducer<String, byte[]> producer = producer(broker);
                 KafkaConsumer<String, byte[]> reader = consumer(broker, readTopics)) {
                AvroSerde<StopResult> resultSerde = AvroSerdes.stopResult();
                AvroSerde<StopDirective> directiveSerde = AvroSerdes.stopDirective();
                Runnable poll = () -> {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(topics.stopResults())) {
                            StopResult res = resultSerde.deserialize(r.topic(), r.value());
                            if (res.getOutcome() == Outcome.ACCEPTED || res.getOutcome() == Outcome.REJECTED) {
                                decisions.put(res.getRequestId(), res);
                                decisionCounts.merge(res.getRequestId(), 1, Integer::sum);
                            }
                        } else {
                            StopDirective d = directiveSerde.deserialize(r.topic(), r.value());
                            assertEquals(topics.directives(d.getClusterId()), r.topic(), "routed to its cluster's topic");
                            if (d.getAttempt() == 1) {
                                attemptOne.merge(d.getRequestId(), 1, Integer::sum);
                            }
                        }
                    }
                };
                int half = commands.size() / 2;
                long ts = now;
                for (int i = 0; i < commands.size(); i++) {
                    StopCommand c = commands.get(i);
                    producer.send(new ProducerRecord<>(topics.stopCommands(), null, ts + i, c.getAccountId(),
                            commandSerde.serialize("", c)));
                    if (i == half) {
                        producer.flush();
                        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                            poll.run();
                            return decisions.size() >= half / 2;
                        });
                        b.close(); // mid-run
                        assertEquals(KafkaStreams.State.NOT_RUNNING, b.state());
                    }
                }
                producer.flush();
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    poll.run();
                    return decisions.size() == commands.size();
                });
                // a little more time for any duplicate to show up
                long until = System.currentTimeMillis() + 2000;
                while (System.currentTimeMillis() < until) {
                    poll.run();
                }
            }
            decisionCounts.forEach((id, n) -> assertEquals(1, n, "exactly one decision for " + id));
            int accepted = 0;
            for (StopCommand c : commands) {
                StopResult r = decisions.get(c.getRequestId());
                assertNotNull(r, c.getRequestId());
                if (c.getRequestId().startsWith("bad-")) {
                    assertEquals(Outcome.REJECTED, r.getOutcome());
                    assertEquals(c.getClusterId() == null ? "MissingParameter" : "JobNotFound", r.getCode());
                    assertNull(attemptOne.get(c.getRequestId()));
                } else if (c.getRequestId().startsWith("req-0-")) {
                    assertEquals(Outcome.ACCEPTED, r.getOutcome(), c.getRequestId() + " " + r);
                    assertNull(r.getJoinedRequestId());
                    assertEquals(1, attemptOne.get(c.getRequestId()), "one attempt-1 directive for " + c.getRequestId());
                    accepted++;
                } else {
                    assertEquals(Outcome.ACCEPTED, r.getOutcome());
                    assertEquals(c.getRequestId().replace("req-1-", "req-0-"), r.getJoinedRequestId());
                    assertNull(attemptOne.get(c.getRequestId()), "a joined stop gets no directive");
                }
            }
            assertEquals(accounts * jobsPerAccount, accepted);
            assertEquals(accepted, attemptOne.size());
            assertEquals(KafkaStreams.State.RUNNING, a.state());
            assertAuditChainsHold(broker, topics, commands.size());
        } finally {
            b.close();
            a.close();
            a.close(); // idempotent
        }
    }

    /**
     * Every audit partition holds one chain, its task's, unbroken across the rebalance: b's tasks moved
     * to a mid-run and continued their chains from the committed heads (positions 1.. in offset order,
     * each record linked to the previous and hashed as written).
     */
    private void assertAuditChainsHold(KafkaBroker broker, Topics topics, int decisions) {
        Map<Integer, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
        try (KafkaConsumer<String, byte[]> reader = consumer(broker, List.of(topics.audit()))) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(r -> byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r));
                return byPartition.values().stream().mapToInt(List::size).sum() >= decisions;
            });
        }
        AvroSerde<io.edgestop.schema.AuditRecord> serde = AvroSerdes.auditRecord();
        byPartition.forEach((partition, records) -> {
            byte[] previous = AuditChain.GENESIS;
            long sequence = 0;
            for (ConsumerRecord<String, byte[]> r : records) {
                io.edgestop.schema.AuditRecord audit = serde.deserialize(r.topic(), r.value());
                String at = "partition " + partition + " offset " + r.offset();
                assertEquals(partition, audit.getChain(), at + ": one chain per partition, its task's");
                assertEquals(++sequence, audit.getChainSequence(), at);
                assertArrayEquals(previous, AuditChain.bytes(audit.getPreviousHash()), at);
                previous = AuditChain.hashOfWritten(r.value());
                assertArrayEquals(previous, AuditChain.bytes(audit.getRecordHash()), at);
            }
        });
        assertTrue(byPartition.size() > 1, "several tasks' chains: " + byPartition.keySet());
    }

    @Test
    void poisonRecordsOnEveryInputTopicAreDeadLettered(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = provision(broker, prefix);
        OrchestratorConfig config = config(broker, prefix, "it-poison-" + prefix.replace(".", ""), dirs.resolve("p"));
        List<String> inputs = List.of(topics.stopCommands(), topics.accountSettings(), topics.accountPolicies(),
                topics.jobState(), topics.jobStatusReports(CLUSTERS.get(0)), topics.streamTimeTicks());
        try (Orchestrator o = Orchestrator.start(config)) {
            assertTrue(o.awaitRunning(Duration.ofSeconds(60)));
            byte[] random = new byte[50];
            new Random(1).nextBytes(random);
            byte[] wrongSchema = AvroSerdes.stopResult().serialize("", StopResult.newBuilder().setRequestId("x")
                    .setEventTime(Instant.EPOCH).build());
            long now = System.currentTimeMillis();
            try (KafkaProducer<String, byte[]> producer = producer(broker)) {
                for (String t : inputs) {
                    producer.send(new ProducerRecord<>(t, null, now, "acct", random));
                    producer.send(new ProducerRecord<>(t, null, now, "acct", wrongSchema));
                }
                // and a good command afterwards, still decided
                producer.send(new ProducerRecord<>(topics.stopCommands(), null, now + 1, "acct",
                        AvroSerdes.stopCommand().serialize("", StopCommand.newBuilder().setRequestId("good").setAccountId("acct")
                                .setClusterId("cluster-a").setJobId("nope").build())));
            }
            Map<String, Integer> deadPerTopic = new ConcurrentHashMap<>();
            Set<String> decided = ConcurrentHashMap.newKeySet();
            try (KafkaConsumer<String, byte[]> reader = consumer(broker, List.of(topics.deadLetter(), topics.stopResults()))) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(topics.deadLetter())) {
                            String origin = new String(r.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8);
                            assertNotNull(r.headers().lastHeader("__streams.errors.partition"));
                            assertNotNull(r.headers().lastHeader("__streams.errors.offset"));
                            assertNotNull(r.headers().lastHeader("__streams.errors.message"));
                            deadPerTopic.merge(origin, 1, Integer::sum);
                        } else {
                            decided.add(AvroSerdes.stopResult().deserialize(r.topic(), r.value()).getRequestId());
                        }
                    }
                    return decided.contains("good") && inputs.stream().allMatch(t -> deadPerTopic.getOrDefault(t, 0) == 2);
                });
            }
            assertEquals(KafkaStreams.State.RUNNING, o.state());
        }
    }

    @Test
    void tickerRedeliversAndTimesOutWithoutOtherTraffic(KafkaBroker broker) throws Exception {
        String prefix = broker.uniquePrefix();
        Topics topics = provision(broker, prefix);
        Map<String, String> v = new HashMap<>(config(broker, prefix, "it-tick-" + prefix.replace(".", ""), dirs.resolve("t")).values());
        v.put(OrchestratorConfig.TICK_INTERVAL_MS, "200");
        v.put(OrchestratorConfig.DIRECTIVE_DEADLINE_MS, "1500");
        v.put(OrchestratorConfig.DIRECTIVE_MAX_ATTEMPTS, "2");
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(topics.accountSettings(), null, now - 1000, "acct",
                    AvroSerdes.accountSettings().serialize("", AccountSettings.newBuilder().setAccountId("acct")
                            .setEdgeTranscodeEnabled(true).build())));
            producer.send(new ProducerRecord<>(topics.jobState(), null, now - 1000, JobKey.of("cluster-a", "j"),
                    AvroSerdes.jobState().serialize("", JobState.newBuilder().setClusterId("cluster-a").setJobId("j")
                            .setAccountId("acct").setDomainName("d").setStatus(JobStatus.RUNNING).build())));
        }
        try (Orchestrator o = Orchestrator.start(OrchestratorConfig.fromMap(v))) {
            assertTrue(o.awaitRunning(Duration.ofSeconds(60)));
            try (KafkaProducer<String, byte[]> producer = producer(broker)) {
                producer.send(new ProducerRecord<>(topics.stopCommands(), null, System.currentTimeMillis(), "acct",
                        AvroSerdes.stopCommand().serialize("", StopCommand.newBuilder().setRequestId("tick-1").setAccountId("acct")
                                .setPrincipal("acs:ram::acct:root").setClusterId("cluster-a").setJobId("j").build())));
            }
            List<Outcome> outcomes = new ArrayList<>();
            List<Integer> attempts = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> reader = consumer(broker, List.of(topics.stopResults(), topics.directives("cluster-a")))) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(topics.stopResults())) {
                            outcomes.add(AvroSerdes.stopResult().deserialize(r.topic(), r.value()).getOutcome());
                        } else {
                            attempts.add(AvroSerdes.stopDirective().deserialize(r.topic(), r.value()).getAttempt());
                        }
                    }
                    return outcomes.contains(Outcome.TIMED_OUT);
                });
            }
            assertEquals(List.of(Outcome.ACCEPTED, Outcome.TIMED_OUT), outcomes);
            assertEquals(List.of(1, 2), attempts);
        }
    }
}
