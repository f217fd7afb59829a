package io.edgestop.adapter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.OrchestratorConfig;
import io.edgestop.orchestrator.TopicProvisioner;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.topics.Topics;

/**
 * The real orchestrator on a real broker, with fresh topics and one edge cluster, and a way to
 * seed one account: its settings, one principal's RAM policy and RUNNING jobs, written to the
 * compacted input topics as the control plane would.
 */
final class RealStack implements AutoCloseable {

    final KafkaBroker broker;
    final Topics topics;
    final String cluster;
    final Orchestrator orchestrator;

    private RealStack(KafkaBroker broker, Topics topics, String cluster, Orchestrator orchestrator) {
        this.broker = broker;
        this.topics = topics;
        this.cluster = cluster;
        this.orchestrator = orchestrator;
    }

    static RealStack start(KafkaBroker broker, Path stateDir, String cluster) throws Exception {
        Topics topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of(cluster), 2, (short) 1);
        }
        Map<String, String> oc = new HashMap<>();
        oc.put("bootstrap.servers", broker.bootstrapServers());
        oc.put("topic.prefix", topics.prefix());
        oc.put("application.id", "stack-" + topics.prefix().replace(".", ""));
        oc.put("state.dir", stateDir.toString());
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", "2");
        oc.put("commit.interval.ms", "50");
        Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromMap(oc));
        assertTrue(orchestrator.awaitRunning(Duration.ofSeconds(120)), "orchestrator running");
        return new RealStack(broker, topics, cluster, orchestrator);
    }

    /** Enables the account, attaches {@code policyJson} to {@code principal} and adds RUNNING jobs. */
    void seed(String accountId, String principal, String policyJson, List<String> jobIds) throws Exception {
        long ts = Instant.now().minusSeconds(60).toEpochMilli();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            send(producer, topics.accountSettings(), accountId, ts, AvroSerdes.accountSettings(),
                    AccountSettings.newBuilder().setAccountId(accountId).setEdgeTranscodeEnabled(true).setRevision(1).build());
            send(producer, topics.accountPolicies(), accountId, ts, AvroSerdes.accountPolicies(),
                    AccountPolicies.newBuilder().setAccountId(accountId).setRevision(1).setPrincipals(Map.of(
                            principal, List.of(RamPolicy.newBuilder().setPolicyName("TestPolicy")
                                    .setPolicyType("Custom").setDocument(policyJson).build()))).build());
            for (String job : jobIds) {
                send(producer, topics.jobState(), cluster + "/" + job, ts, AvroSerdes.jobState(),
                        JobState.newBuilder().setClusterId(cluster).setJobId(job).setAccountId(accountId)
                                .setDomainName("live.example.com").setStatus(JobStatus.RUNNING).setRevision(1)
                                .setLastStartAt(Instant.ofEpochMilli(ts)).build());
            }
            producer.flush();
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            String topic, String key, long ts, Serializer<T> serde, T value) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, ts, key, serde.serialize(topic, value))).get();
    }

    /** Settings of an adapter on this stack's topics (127.0.0.1, any free port). */
    Map<String, String> adapterSettings(String instanceId) {
        return new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "topic.prefix", topics.prefix(),
                "instance.id", instanceId, "reply.timeout.ms", "20000"));
    }

    @Override
    public void close() {
        orchestrator.close();
    }
}
