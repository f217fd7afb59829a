package io.edgestop.orchestrator.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.runtime.MinInsyncReplicas;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.TopicContract;
import io.edgestop.topics.Topics;

/** On a real broker, the provisioner creates every fixed, per-cluster and per-producer topic of the contract as the contract says. */
@RealKafka
class TopicProvisionerTest {

    static final int PARTITIONS = 3;

    @Test
    void everyTopicOfTheContractIsCreatedWithItsSettings(KafkaBroker broker) throws Exception {
        Topics topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1);
            TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1); // idempotent
            TopicProvisioner.createDirectiveTopics(admin, topics, List.of("edge-a", "edge-b", "edge-a"), PARTITIONS, (short) 1);
            TopicProvisioner.createAsyncCommandTopics(admin, topics, List.of("billing"), PARTITIONS, (short) 1);

            Map<String, Map<String, String>> expected = new LinkedHashMap<>();
            for (TopicContract<?> t : TopicContract.all()) {
                switch (t.kind()) {
                    case FIXED -> expected.put(topics.name(t), t.configs());
                    case PER_CLUSTER -> {
                        expected.put(topics.perCluster(t, "edge-a"), t.configs());
                        expected.put(topics.perCluster(t, "edge-b"), t.configs());
                    }
                    case PER_PRODUCER -> expected.put(topics.asyncCommands("billing"), t.configs());
                    case INTERNAL -> {
                        // Kafka Streams creates these (TopologyContractTest)
                    }
                }
            }
            assertEquals(TopicContract.fixed().size() + 5, expected.size());
            Map<String, TopicDescription> described = admin.describeTopics(expected.keySet()).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = new ArrayList<>();
            expected.keySet().forEach(name -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name)));
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            List<String> problems = new ArrayList<>();
            expected.forEach((name, settings) -> {
                if (described.get(name).partitions().size() != PARTITIONS) {
                    problems.add(name + " has " + described.get(name).partitions().size() + " partitions");
                }
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                settings.forEach((key, value) -> {
                    if (!value.equals(config.get(key).value())) {
                        problems.add(name + ": " + key + "=" + config.get(key).value() + ", the contract says " + value);
                    }
                });
                if (settings.get(TopicConfig.RETENTION_MS_CONFIG) == null
                        && !TopicConfig.CLEANUP_POLICY_COMPACT.equals(settings.get(TopicConfig.CLEANUP_POLICY_CONFIG))) {
                    problems.add(name + ": a deleting topic without a retention in the contract");
                }
                assertEquals(Integer.toString(MinInsyncReplicas.forReplicationFactor(1)),
                        config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), name);
            });
            assertEquals(List.of(), problems);
        }
    }

    @Test
    void aClusterIdThatCannotNameATopicIsRefusedBeforeAnythingIsCreated(KafkaBroker broker) throws Exception {
        Topics topics = new Topics(broker.uniquePrefix());
        try (Admin admin = broker.admin()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    TopicProvisioner.createDirectiveTopics(admin, topics, List.of("edge-a", "bad/cluster"), 1, (short) 1));
            assertTrue(e.getMessage().contains("bad/cluster"), e.getMessage());
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().noneMatch(n -> n.startsWith(topics.prefix())));
        }
    }
}
