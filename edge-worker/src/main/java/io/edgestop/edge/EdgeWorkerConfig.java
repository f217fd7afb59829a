package io.edgestop.edge;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.topics.Topics;

/**
 * Settings of one edge worker. Build with {@link #fromMap(Map)}: the keys {@code DEFINITION} declares (docs/settings.md
 * describes each; {@code bootstrap.servers} and {@code cluster.id} required, {@code job.controller} read by
 * {@link JobController#fromSettings}, {@code simulated.*} by {@link SimulatedJobController}), and {@code kafka.*}, the
 * client settings of the consumer and producer ({@link KafkaClientSettings}).
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

    /**
     * Every key of a worker but {@code kafka.*}, the job controller's included, declared once: type, default, check,
     * importance and the description docs/settings.md shows (generated from here, with the launcher's own defaults).
     */
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("bootstrap.servers", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Kafka cluster (`-b`, `--bootstrap-servers`)")
            .define("topic.prefix", Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "prefix of every topic name (`--topic-prefix`)")
            .define("cluster.id", Type.STRING, Importance.HIGH,
                    "the edge cluster this worker serves: it reads `directives.<cluster.id>` (`--cluster-id`)")
            .define("group.id", Type.STRING, null, Importance.LOW,
                    "consumer group: the workers of one cluster share it, so each directive is handled by one of them",
                    "from prefix and cluster: `<topic.prefix>edge-worker.<cluster.id>`")
            .define("worker.id", Type.STRING, null, Importance.LOW, "written on every report (`--worker-id`)",
                    "host, pid and a random suffix")
            .define("stop.max.attempts", Type.INT, 3, Range.atLeast(1), Importance.MEDIUM,
                    "local attempts of a failing stop before a failure report")
            .define("stop.retry.backoff.ms", Type.LONG, 200L, Importance.LOW, "pause between those attempts")
            .define("poll.timeout.ms", Type.LONG, 500L, Importance.LOW, "consumer poll timeout")
            .define("admin.port", Type.INT, -1, Range.between(-1, 65535), Importance.MEDIUM,
                    "port of `/metrics`, `/healthz`, `/readyz`; -1 off, 0 any free port (`--admin-port`)")
            .define("admin.host", Type.STRING, "0.0.0.0", Importance.LOW, "address the admin endpoint binds to")
            // required (JobController.fromSettings checks): a simulated default would report stops that never happened
            .define(JOB_CONTROLLER, Type.STRING, null, Importance.HIGH,
                    "the class name of a `JobController` with a public no-argument constructor (the real machines), or"
                            + " `simulated` (stops nothing real; the dev stack, the compose demo and tests); no default, so"
                            + " a worker never reports stops that did not happen",
                    "none: required")
            .define(SimulatedJobController.STOP_LATENCY_MS, Type.LONG, simulated(SimulatedJobController.STOP_LATENCY_MS),
                    Importance.LOW, "simulated controller: how long a stop takes (`--stop-latency-ms`)")
            .define(SimulatedJobController.FAILURE_RATE, Type.DOUBLE, simulated(SimulatedJobController.FAILURE_RATE),
                    Range.between(0, 1), Importance.LOW, "simulated controller: probability that a stop fails (`--failure-rate`)")
            .define(SimulatedJobController.SEED, Type.LONG, simulated(SimulatedJobController.SEED), Importance.LOW,
                    "simulated controller: seed of the failure draws (`--random-seed`)")
            .define(SimulatedJobController.UNKNOWN_JOBS_RUNNING, Type.BOOLEAN,
                    simulated(SimulatedJobController.UNKNOWN_JOBS_RUNNING), Importance.LOW,
                    "simulated controller: a job it was never told of counts as running");

    /** The simulated controller's own default of {@code key}: it reads its keys itself ({@link SimulatedJobController#fromMap}). */
    private static String simulated(String key) {
        return SimulatedJobController.defaults().get(key);
    }

    public static EdgeWorkerConfig fromMap(Map<String, String> settings) {
        Map<String, String> given = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (v != null) {
                given.put(k, v);
            }
        });
        Map<String, Object> p;
        try {
            p = DEFINITION.parse(given);
        } catch (ConfigException e) {
            // the IllegalArgumentException of every check, naming key and value
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String cluster = (String) p.get("cluster.id");
        Topics topics = new Topics((String) p.get("topic.prefix"));
        String group = (String) p.get("group.id");
        String worker = (String) p.get("worker.id");
        return new EdgeWorkerConfig((String) p.get("bootstrap.servers"), topics, cluster,
                group == null ? defaultGroupId(topics, cluster) : group,
                worker == null ? defaultWorkerId(cluster) : worker,
                (Integer) p.get("stop.max.attempts"),
                Duration.ofMillis((Long) p.get("stop.retry.backoff.ms")),
                Duration.ofMillis((Long) p.get("poll.timeout.ms")),
                KafkaClientSettings.fromComponentSettings(given), (String) p.get("admin.host"),
                (Integer) p.get("admin.port"));
    }

    /** The declarations of every key of an edge worker besides {@code kafka.*} (a copy). */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
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
}
