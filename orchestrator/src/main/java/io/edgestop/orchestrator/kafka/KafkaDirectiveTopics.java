package io.edgestop.orchestrator.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.api.ApiError;
import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.orchestrator.decision.DirectiveRoute;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.topology.DirectiveTopics;
import io.edgestop.topics.Topics;

/**
 * {@link DirectiveTopics} on a Kafka cluster: the directive topic of a cluster seen for the first
 * time is created (with the cluster's report topic) with the documented settings ({@link TopicProvisioner}; an existing one is fine)
 * and described with the operations this client's principal may perform on it. A topic that could
 * not be created, or that the principal may not write, makes the cluster undeliverable; that is
 * logged once and checked again, at most every {@link #RECHECK}, when the cluster's next job state
 * arrives (so a fixed ACL heals without a restart). Every Admin call is bounded by {@link #TIMEOUT}.
 *
 * <p>A topic deleted after it was prepared would leave a send for it waiting for its metadata
 * ({@code max.block.ms}, then the task is corrupted and the same command is processed again, forever):
 * every {@link #WATCH} the prepared topics are listed and a missing one is created again, so such a
 * send waits at most about that long.
 */
public final class KafkaDirectiveTopics implements DirectiveTopics {

    private static final Logger log = LoggerFactory.getLogger(KafkaDirectiveTopics.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration RECHECK = Duration.ofSeconds(30);
    static final Duration WATCH = Duration.ofSeconds(5);

    /** What is known of a cluster's topic: why it cannot be written (null: it can), and when that was checked. */
    private record Known(String reason, long checkedAtNanos) {
    }

    private final Admin admin;
    private final Topics topics;
    private final int partitions;
    private final short replicationFactor;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    private final Duration closeTimeout;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orchestrator-directive-topics");
        t.setDaemon(true);
        return t;
    });

    public KafkaDirectiveTopics(OrchestratorConfig config, Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
        this.admin = Admin.create(KafkaClientProperties.of(config.bootstrapServers(), config.kafkaClientSettings())
                .withDefault(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-directive-topics")
                .withDefault(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()))
                .withDefault(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()))
                .build());
        this.topics = config.topics();
        this.partitions = config.topicPartitions();
        this.replicationFactor = config.replicationFactor();
        watch.scheduleWithFixedDelay(this::recreateDeleted, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Creates again every prepared directive topic that no longer exists. */
    private void recreateDeleted() {
        try {
            List<String> prepared = known.entrySet().stream().filter(e -> e.getValue().reason() == null)
                    .map(Map.Entry::getKey).toList();
            if (prepared.isEmpty()) {
                return;
            }
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (String clusterId : prepared) {
                String topic = topics.directives(clusterId);
                if (!existing.contains(topic)) {
                    log.warn("directive topic {} of cluster {} was deleted: creating it again", topic, clusterId);
                    known.put(clusterId, new Known(check(clusterId), System.nanoTime()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("directive topics not listed this time: {}", e.toString());
        }
    }

    @Override
    public void prepare(String clusterId) {
        if (!DirectiveRoute.routable(clusterId)) {
            return; // no topic can be named after it; the decider answers JobNotFound
        }
        Known k = known.get(clusterId);
        if (k != null && (k.reason() == null || System.nanoTime() - k.checkedAtNanos() < RECHECK.toNanos())) {
            return;
        }
        String reason = check(clusterId);
        if (reason == null && k != null) {
            log.info("directives for cluster {} can be delivered again", clusterId);
        } else if (reason != null && (k == null || !reason.equals(k.reason()))) {
            log.error("directives for cluster {} cannot be delivered; its stops are answered {}: {}", clusterId,
                    ApiError.EDGE_CLUSTER_UNAVAILABLE.code(), reason);
        }
        known.put(clusterId, new Known(reason, System.nanoTime()));
    }

    /** Prepares a cluster not prepared yet on the caller's thread (should the global thread ever not have). */
    @Override
    public String undeliverable(String clusterId) {
        if (!known.containsKey(clusterId)) {
            prepare(clusterId);
        }
        Known k = known.get(clusterId);
        return k == null ? null : k.reason();
    }

    /** Null when the cluster's directive topic exists, has leaders and may be written by this principal; else why not. */
    private String check(String clusterId) {
        String topic = topics.directives(clusterId);
        String createError = null;
        try {
            // the cluster's report topic with it: its workers' first reports are read once the subscription sees it
            TopicProvisioner.create(admin, TopicProvisioner.clusterTopics(topics, clusterId, partitions,
                    replicationFactor), TIMEOUT);
        } catch (IllegalStateException e) {
            createError = e.getCause() == null ? e.getMessage() : e.getCause().toString();
        }
        TopicDescription d;
        try {
            d = admin.describeTopics(Set.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while describing " + topic;
        } catch (Exception e) {
            return topic + " does not exist and could not be created: " + (createError != null ? createError : e.getCause());
        }
        Set<AclOperation> allowed = d.authorizedOperations(); // null: the broker did not say (no authorizer)
        if (allowed != null && !allowed.contains(AclOperation.WRITE) && !allowed.contains(AclOperation.ALL)) {
            return "not authorized to write to " + topic;
        }
        // a topic that exists and has leaders is fine even when creating it was refused
        boolean led = d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        return led ? null : topic + " has partitions without a leader" + (createError == null ? "" : "; " + createError);
    }

    @Override
    public void close() {
        watch.shutdownNow();
        admin.close(closeTimeout);
    }
}
