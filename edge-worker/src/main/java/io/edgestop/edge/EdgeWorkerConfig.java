package io.edgestop.edge;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.topics.Topics;

/**
 * Settings of one edge worker. Build with {@link #fromMap(Map)}; keys:
 * <ul>
 * <li>{@code bootstrap.servers} (required)</li>
 * <li>{@code cluster.id} (required): the edge cluster this worker serves</li>
 * <li>{@code topic.prefix} (default {@value Topics#DEFAULT_PREFIX})</li>
 * <li>{@code group.id} (default {@code <prefix>edge-worker.<clusterId>}): all workers of one
 *     cluster share it, so each directive is handled by one of them</li>
 * <li>{@code worker.id} (default host-pid-random): written on every report</li>
 * <li>{@code stop.max.attempts} (default 3) and {@code stop.retry.backoff.ms} (default 200):
 *     local retries of a failing stop before a failure report</li>
 * <li>{@code poll.timeout.ms} (default 500)</li>
 * <li>{@code admin.port} (default -1, off; 0 any free port) and {@code admin.host} (default 0.0.0.0): where
 *     {@code /metrics}, {@code /healthz} and {@code /readyz} are served</li>
 * <li>{@code job.controller} (required: a controller class, or {@code simulated}, whose {@code simulated.*}
 *     keys are those of {@link SimulatedJobController}): see {@link JobController#fromSettings}</li>
 * <li>{@code kafka.*}: client settings of the consumer and producer ({@link KafkaClientSettings})</li>
 * </ul>
 */
public record EdgeWorkerConfig(String bootstrapServers, Topics topics, String clusterId, String groupId,
        String workerId, int stopMaxAttempts, Duration stopRetryBackoff, Duration pollTimeout,
        KafkaClientSettings kafka, String adminHost, int adminPort) {

    public EdgeWorkerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrap.servers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(clusterId, "cluster.id");
        if (!Topics.validClusterId(clusterId)) {
            throw new IllegalArgumentException("invalid cluster.id: '" + clusterId
                    + "' (it names the directive topic: " + Topics.CLUSTER_ID_RULE + ")");
        }
        if (stopMaxAttempts < 1) {
            throw new IllegalArgumentException("stop.max.attempts must be >= 1");
        }
        Objects.requireNonNull(kafka, "kafka");
        if (adminPort < -1 || adminPort > 65535) {
            throw new IllegalArgumentException("admin.port must be -1 (off), 0 (any free port) or a port, was " + adminPort);
        }
    }

    /** The key naming the worker's {@link JobController} ({@link JobController#fromSettings}). */
    public static final String JOB_CONTROLLER = "job.controller";

    private static final Map<String, String> DEFAULTS;

    static {
        // every key of a worker; null: no fixed default (required or computed)
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", null);
        d.put("cluster.id", null);
        d.put("topic.prefix", Topics.DEFAULT_PREFIX);
        d.put("group.id", null);
        d.put("worker.id", null);
        d.put("stop.max.attempts", "3");
        d.put("stop.retry.backoff.ms", "200");
        d.put("poll.timeout.ms", "500");
        d.put("admin.host", "0.0.0.0");
        d.put("admin.port", "-1");
        d.put(JOB_CONTROLLER, null); // required: a simulated default would report stops that never happened
        d.putAll(SimulatedJobController.defaults());
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    public static EdgeWorkerConfig fromMap(Map<String, String> settings) {
        Map<String, String> m = new LinkedHashMap<>();
        DEFAULTS.forEach((k, d) -> {
            if (d != null) {
                m.put(k, d);
            }
        });
        settings.forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        String bootstrap = require(m, "bootstrap.servers");
        String cluster = require(m, "cluster.id");
        Topics topics = new Topics(m.get("topic.prefix"));
        return new EdgeWorkerConfig(bootstrap, topics, cluster,
                m.getOrDefault("group.id", defaultGroupId(topics, cluster)),
                m.getOrDefault("worker.id", defaultWorkerId(cluster)),
                intValue(m, "stop.max.attempts"),
                Duration.ofMillis(longValue(m, "stop.retry.backoff.ms")),
                Duration.ofMillis(longValue(m, "poll.timeout.ms")),
                KafkaClientSettings.fromComponentSettings(m), m.get("admin.host"),
                intValue(m, "admin.port"));
    }

    /**
     * Every key of an edge worker besides {@code kafka.*} (the job controller's included), with its
     * default; null when it has none (required or computed).
     */
    public static Map<String, String> defaults() {
        return DEFAULTS;
    }

    private static long longValue(Map<String, String> m, String key) {
        String v = m.get(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'", e);
        }
    }

    private static int intValue(Map<String, String> m, String key) {
        long v = longValue(m, key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range: " + v);
        }
        return (int) v;
    }

    /** Minimal config: defaults for everything else. */
    public static EdgeWorkerConfig of(String bootstrapServers, String topicPrefix, String clusterId) {
        return fromMap(Map.of("bootstrap.servers", bootstrapServers, "topic.prefix", topicPrefix,
                "cluster.id", clusterId));
    }

    public static String defaultGroupId(Topics topics, String clusterId) {
        return topics.prefix() + "edge-worker." + clusterId;
    }

    static String defaultWorkerId(String clusterId) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        return "edge-" + clusterId + "@" + host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** The one topic this worker reads. */
    public String directiveTopic() {
        return topics.directives(clusterId);
    }

    /** A copy with another worker id (e.g. a second worker of the same cluster in one process). */
    public EdgeWorkerConfig withWorkerId(String id) {
        return new EdgeWorkerConfig(bootstrapServers, topics, clusterId, groupId, id, stopMaxAttempts,
                stopRetryBackoff, pollTimeout, kafka, adminHost, adminPort);
    }

    private static String require(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing required setting " + key);
        }
        return v;
    }
}
