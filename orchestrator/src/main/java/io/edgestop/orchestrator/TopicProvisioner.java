package io.edgestop.orchestrator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import io.edgestop.topics.Topics;

/**
 * Creates the system's topics with their cleanup policy and retention (idempotent: existing
 * topics are left as they are). Every topic gets the same partition count, which keeps
 * stop-commands / account-settings / account-policies and job-state / job-status-reports
 * co-partitioned as the topology needs.
 */
public final class TopicProvisioner {

    static final long DAY_MS = 24L * 60 * 60 * 1000;

    private TopicProvisioner() {
    }

    /** Cleanup and retention settings of every fixed topic. */
    public static Map<String, Map<String, String>> fixedTopicConfigs(Topics topics) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put(topics.stopCommands(), delete(7 * DAY_MS));
        out.put(topics.accountSettings(), compact());
        out.put(topics.accountPolicies(), compact());
        out.put(topics.jobState(), compact());
        out.put(topics.jobStatusReports(), delete(7 * DAY_MS));
        out.put(topics.stopResults(), delete(7 * DAY_MS));
        out.put(topics.audit(), delete(-1));
        out.put(topics.deadLetter(), delete(30 * DAY_MS));
        return out;
    }

    /** Cleanup and retention of a per-cluster directive topic. */
    public static Map<String, String> directiveTopicConfig() {
        return delete(7 * DAY_MS);
    }

    private static Map<String, String> delete(long retentionMs) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }

    private static Map<String, String> compact() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
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
            if (!JobStep.routableCluster(clusterId)) {
                throw new IllegalArgumentException("cluster id '" + clusterId + "' cannot name a topic");
            }
            if (seen.add(clusterId)) {
                wanted.add(new NewTopic(topics.directives(clusterId), partitions, replicationFactor)
                        .configs(directiveTopicConfig()));
            }
        }
        create(admin, wanted);
    }

    private static void create(Admin admin, List<NewTopic> wanted) {
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(wanted).values();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get(60, TimeUnit.SECONDS);
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
    }
}
