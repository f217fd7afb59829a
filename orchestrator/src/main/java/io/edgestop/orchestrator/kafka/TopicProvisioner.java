package io.edgestop.orchestrator.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import io.edgestop.orchestrator.decision.DirectiveRoute;
import io.edgestop.orchestrator.runtime.MinInsyncReplicas;
import io.edgestop.topics.TopicContract;
import io.edgestop.topics.Topics;

/**
 * Creates the system's topics, every {@link TopicContract.Kind#FIXED fixed}, per-cluster and per-producer
 * topic of the {@link TopicContract}, with its {@link TopicContract#configs() configs} (idempotent: existing
 * topics are left as they are). Every topic gets the same partition count, which keeps each co-partition
 * group (stop-commands / async-commands.* / account-settings / account-policies) co-partitioned as the topology needs.
 * Every topic gets the {@link MinInsyncReplicas} of its replication factor. Returns once every
 * partition of the topics has a leader.
 */
public final class TopicProvisioner {

    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

    private TopicProvisioner() {
    }

    /** The configs of every fixed topic (cleanup, retention, a command topic's timestamp bound), from its {@link TopicContract}. */
    public static Map<String, Map<String, String>> fixedTopicConfigs(Topics topics) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        TopicContract.fixed().forEach(t -> out.put(topics.name(t), t.configs()));
        return out;
    }

    /** Cleanup and retention of a per-cluster directive topic. */
    public static Map<String, String> directiveTopicConfig() {
        return TopicContract.DIRECTIVES.configs();
    }

    /** The per-cluster topics of one cluster (its directives and its workers' reports), each with its contract's configs. */
    static List<NewTopic> clusterTopics(Topics topics, String clusterId, int partitions, short replicationFactor) {
        return List.of(
                new NewTopic(topics.directives(clusterId), partitions, replicationFactor).configs(directiveTopicConfig()),
                new NewTopic(topics.jobStatusReports(clusterId), partitions, replicationFactor)
                        .configs(TopicContract.JOB_STATUS_REPORTS.configs()));
    }

    public static void createAll(Admin admin, Topics topics, int partitions, short replicationFactor) {
        List<NewTopic> wanted = new ArrayList<>();
        fixedTopicConfigs(topics).forEach((name, configs) ->
                wanted.add(new NewTopic(name, partitions, replicationFactor).configs(configs)));
        create(admin, wanted);
    }

    public static void createDirectiveTopics(Admin admin, Topics topics, Collection<String> clusterIds, int partitions,
                                             short replicationFactor) {
        Set<String> seen = new HashSet<>();
        List<NewTopic> wanted = new ArrayList<>();
        for (String clusterId : clusterIds) {
            if (!DirectiveRoute.routable(clusterId)) {
                throw new IllegalArgumentException("cluster id '" + clusterId + "' cannot name a topic (" + Topics.CLUSTER_ID_RULE + ")");
            }
            if (seen.add(clusterId)) {
                wanted.addAll(clusterTopics(topics, clusterId, partitions, replicationFactor));
            }
        }
        create(admin, wanted);
    }

    /**
     * Creates the command topic of each async producer, {@code async-commands.<producer>}: the provisioned partition
     * count like stop-commands, with which the deciding task reads it (co-partitioned by accountId).
     */
    public static void createAsyncCommandTopics(Admin admin, Topics topics, Collection<String> producers, int partitions,
                                                short replicationFactor) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String producer : new TreeSet<>(producers)) {
            if (!Topics.validProducerName(producer)) {
                throw new IllegalArgumentException("async producer '" + producer + "' cannot name a topic (" + Topics.CLUSTER_ID_RULE + ")");
            }
            wanted.add(new NewTopic(topics.asyncCommands(producer), partitions, replicationFactor)
                    .configs(TopicContract.ASYNC_COMMANDS.configs()));
        }
        create(admin, wanted);
    }

    /** Creates these topics unless they exist, then waits for every partition to have a leader. */
    public static void create(Admin admin, List<NewTopic> wanted) {
        create(admin, wanted, LEADER_TIMEOUT);
    }

    /** {@link #create(Admin, List)}, each wait bounded by {@code timeout}. */
    static void create(Admin admin, List<NewTopic> wanted, Duration timeout) {
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
                admin.createTopics(wanted.stream().map(TopicProvisioner::withMinInsyncReplicas).toList()).values();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + e.getKey(), ex.getCause());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + e.getKey(), ex);
            } catch (Exception ex) {
                throw new IllegalStateException("cannot create topic " + e.getKey(), ex);
            }
        }
        awaitLeaders(admin, results.keySet(), timeout);
    }

    private static NewTopic withMinInsyncReplicas(NewTopic topic) {
        if (topic.replicationFactor() <= 0 || topic.configs() != null
                && topic.configs().containsKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) {
            return topic; // broker default replication, or chosen by the caller
        }
        Map<String, String> configs = new LinkedHashMap<>(topic.configs() == null ? Map.of() : topic.configs());
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                Integer.toString(MinInsyncReplicas.forReplicationFactor(topic.replicationFactor())));
        return new NewTopic(topic.name(), topic.numPartitions(), topic.replicationFactor()).configs(configs);
    }

    /**
     * Waits until every partition of these topics has a leader. A first write to a partition that has
     * none yet bounces (NOT_LEADER_OR_FOLLOWER), and the idempotent producer's next batches to it can
     * then be refused as out of sequence until its delivery timeout (seen: seed records lost after
     * 120 s on a freshly created topic).
     */
    private static void awaitLeaders(Admin admin, Collection<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                boolean ready;
                try {
                    ready = admin.describeTopics(names).allTopicNames().get(Math.min(10_000, timeout.toMillis()), TimeUnit.MILLISECONDS).values().stream()
                            .flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                } catch (ExecutionException e) {
                    ready = false; // the new topics' metadata has not reached the broker answering yet
                }
                if (ready) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + names + " still have no leader after " + timeout);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the leaders of " + names, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe " + names + " in time", e);
        }
    }
}
