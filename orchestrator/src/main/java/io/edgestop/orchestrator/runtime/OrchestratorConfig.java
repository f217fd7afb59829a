package io.edgestop.orchestrator.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.ops.QueryToken;
import io.edgestop.topics.Topics;

/**
 * Immutable configuration of the orchestrator, built from string key/values (a properties file,
 * flags, environment). Keys starting with {@code kafka.} are handed to Kafka Streams without the
 * prefix and override everything the orchestrator sets itself.
 */
public final class OrchestratorConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String REPLICATION_FACTOR = "replication.factor";
    public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String COMMIT_BACKLOG_INTERVAL_MS = "commit.backlog.interval.ms";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String QUOTA_DEFAULT_PER_MINUTE = "quota.default.per.minute";
    public static final String DIRECTIVE_DEADLINE_MS = "directive.deadline.ms";
    public static final String DIRECTIVE_MAX_ATTEMPTS = "directive.max.attempts";
    public static final String NONCE_WINDOW_MS = "nonce.window.ms";
    public static final String TABLE_HISTORY_RETENTION_MS = "table.history.retention.ms";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TICK_INTERVAL_MS = "tick.interval.ms";
    public static final String ROCKSDB_MEMORY_MB = "rocksdb.memory.mb";
    public static final String ROCKSDB_MEMTABLE_MB = "rocksdb.memtable.mb";
    public static final String ADMIN_HOST = "admin.host";
    public static final String ADMIN_PORT = "admin.port";
    public static final String QUERY_HOST = "query.host";
    public static final String QUERY_PORT = "query.port";
    public static final String QUERY_ADVERTISED_HOST = "query.advertised.host";
    public static final String QUERY_QUOTA_PER_MINUTE = "query.quota.per.minute";
    public static final String QUERY_FORWARD_TIMEOUT_MS = "query.forward.timeout.ms";
    public static final String AUDIT_CHECKPOINT_RECORDS = "audit.checkpoint.records";
    public static final String AUDIT_CHECKPOINT_INTERVAL_MS = "audit.checkpoint.interval.ms";
    public static final String AUDIT_CHECKPOINT_KEY_FILE = "audit.checkpoint.key.file";
    public static final String ASYNC_PRODUCERS = "async.producers";
    public static final String QUERY_TOKEN = QueryToken.SETTING;
    public static final String QUERY_TOKEN_FILE = QueryToken.FILE_SETTING;

    /**
     * Every orchestrator key but {@code kafka.*}, declared once: type, default, check, importance and the
     * description docs/settings.md shows (generated from here, with the launcher's own defaults).
     */
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", Importance.HIGH,
                    "Kafka cluster (`-b`, `--bootstrap-servers`)")
            .define(TOPIC_PREFIX, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "prefix of every topic name (`--topic-prefix`)")
            .define(APPLICATION_ID, Type.STRING, "edgestop-orchestrator", Importance.HIGH,
                    "Kafka Streams application id (group, internal topic prefix); instances with the same id share the"
                            + " work (`--application-id`)")
            .define(STATE_DIR, Type.STRING,
                    Path.of(System.getProperty("java.io.tmpdir"), "edgestop-orchestrator").toString(), Importance.HIGH,
                    "RocksDB state directory, one per instance (`--state-dir`)",
                    "`edgestop-orchestrator` under `java.io.tmpdir`")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2, Importance.LOW,
                    "Kafka Streams processing guarantee")
            .define(REPLICATION_FACTOR, Type.SHORT, (short) 3, Range.atLeast(1), Importance.HIGH,
                    "replication of internal topics and of directive topics it creates; 1 on a single broker"
                            + " (`--replication-factor`)")
            .define(NUM_STANDBY_REPLICAS, Type.INT, 1, Range.atLeast(0), Importance.MEDIUM, "standby state copies")
            // a decision is visible downstream only once its transaction commits, so the commit interval is most of a
            // decision's latency: 20 ms, against 100 and 10 side by side in docs/benchmarks.md. That is the pace while a
            // thread keeps up; behind (its records older than the backlog interval) it commits every 100 ms, Kafka's
            // exactly-once default, so that slow commits do not starve the processing (CommitPacing)
            .define(COMMIT_INTERVAL_MS, Type.LONG, 20L, Range.atLeast(1), Importance.MEDIUM,
                    "commit (transaction) interval while a stream thread keeps up: most of a decision's latency (a result"
                            + " is visible at the commit); chosen side by side in [benchmarks](benchmarks.md)")
            .define(COMMIT_BACKLOG_INTERVAL_MS, Type.LONG, 100L, Importance.MEDIUM,
                    "commit interval while a thread is behind (its records older than this): Kafka Streams' own"
                            + " `commit.interval.ms`, so that slow commits after a broker's loss do not starve the processing"
                            + " ([reliability](reliability.md)); at least `commit.interval.ms`")
            // one stream thread per core: a thread is single-threaded work (deserialize, decide, serialize, produce)
            .define(NUM_STREAM_THREADS, Type.INT, Runtime.getRuntime().availableProcessors(), Range.atLeast(1),
                    Importance.MEDIUM, "Kafka Streams threads of this instance (see [benchmarks](benchmarks.md))", null, -1,
                    Width.NONE, NUM_STREAM_THREADS, List.of(), null, "number of cores")
            .define(QUOTA_DEFAULT_PER_MINUTE, Type.INT, 6000, Range.atLeast(1), Importance.MEDIUM,
                    "calls per account per aligned 60 s window unless the account overrides")
            .define(DIRECTIVE_DEADLINE_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.MEDIUM,
                    "time (event time) for a stop to be confirmed before redelivery")
            .define(DIRECTIVE_MAX_ATTEMPTS, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM,
                    "directive attempts before TIMED_OUT")
            .define(NONCE_WINDOW_MS, Type.LONG, 900_000L, Range.atLeast(1), Importance.MEDIUM,
                    "signature-nonce replay window (event time)")
            .define(TABLE_HISTORY_RETENTION_MS, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.LOW,
                    "how far back as-of lookups of settings/policies/job state reach")
            // signed checkpoints of the audit chains (docs/audit.md): at most this many records or this much stream time
            // unconfirmed; no key by default (a secret: edge-stop dev makes one per run), and then no checkpoints
            .define(AUDIT_CHECKPOINT_RECORDS, Type.LONG, 1000L, Range.atLeast(1), Importance.LOW,
                    "a chain's signed checkpoint at the latest after this many audit records ([audit, \"Signed"
                            + " checkpoints\"](audit.md#signed-checkpoints))")
            .define(AUDIT_CHECKPOINT_INTERVAL_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW,
                    "... or after this much stream time with records since the last one (`edge-stop dev`: 10000)")
            .define(AUDIT_CHECKPOINT_KEY_FILE, Type.STRING, null, Importance.MEDIUM,
                    "the deployment's Ed25519 key that signs the checkpoints: a file with its PEM `PRIVATE KEY` and"
                            + " `PUBLIC KEY` (a secret; `edge-stop dev` makes one in its data directory; [audit, \"The"
                            + " checkpoint key\"](audit.md#the-checkpoint-key))",
                    "none: no checkpoints")
            .define(TOPIC_PARTITIONS, Type.INT, 6, Range.atLeast(1), Importance.MEDIUM,
                    "partitions of the directive topic it creates for a new cluster")
            // deadlines must fire on quiet accounts too, and an input partition that never receives a record can leave
            // its task waiting for the partition's lag after a broker restart (docs/reliability.md): one tick a second
            .define(TICK_INTERVAL_MS, Type.LONG, 1000L, Range.atLeast(0), Importance.LOW,
                    "wall-clock interval of the stream-time tick source (see [Directives, completion,"
                            + " redelivery](decisions.md#directives-completion-redelivery)); 0 turns it off")
            // one block cache for every store of the process, memtables charged to it (BoundedRocksDb)
            .define(ROCKSDB_MEMORY_MB, Type.LONG, 64L, Range.atLeast(1), Importance.MEDIUM,
                    "native memory of all RocksDB stores of the process together: one shared block cache (index and"
                            + " filter blocks included) that memtables are charged to (`BoundedRocksDb`)")
            .define(ROCKSDB_MEMTABLE_MB, Type.LONG, 16L, Range.atLeast(1), Importance.LOW,
                    "the part of `rocksdb.memory.mb` memtables may take")
            // the async producers whose command topics (async-commands.<name>) are decided besides stop-commands: none
            .define(ASYNC_PRODUCERS, Type.STRING, null, Importance.MEDIUM,
                    "comma-separated names of the async producers whose command topics `async-commands.<name>` are"
                            + " decided besides `stop-commands` (create them with `edge-stop topics --async-producer NAME`);"
                            + " which accounts and principals each may act as is in each account's settings"
                            + " (`asyncProducers`; see [security](security.md))")
            // /metrics, /healthz, /readyz: off (-1) when embedded; `edge-stop orchestrator` serves it on 9464
            .define(ADMIN_PORT, Type.INT, -1, Range.between(-1, 65535), Importance.MEDIUM,
                    "port of `/metrics`, `/healthz`, `/readyz` (see [Observability](operations.md#observability)); -1 off,"
                            + " 0 any free port (`--admin-port`)")
            .define(ADMIN_HOST, Type.STRING, "0.0.0.0", Importance.LOW, "address the admin endpoint binds to")
            // the job query endpoint (GetEdgeTranscodeJob, ListEdgeTranscodeJob through the adapter): off (-1) unless set;
            // it answers any account's jobs to a holder of the token (query.token.file), so it listens on loopback
            // unless told otherwise; no default token: one must be set with the port
            .define(QUERY_PORT, Type.INT, -1, Range.between(-1, 65535), Importance.MEDIUM,
                    "port of the job query endpoint (`POST /jobs`, for the adapter's Get and List; see [Job"
                            + " queries](http-api.md#job-queries-get-and-list)); -1 off, 0 any free port; also this"
                            + " instance's `application.server`")
            .define(QUERY_HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM,
                    "address it binds to; the endpoint answers any account's jobs to a holder of the token, so keep it on"
                            + " a private network too")
            .define(QUERY_TOKEN_FILE, Type.STRING, null, Importance.HIGH,
                    "the job query endpoint's shared secret, the file's first line; its callers (the adapters'"
                            + " `query.token.file`, the other instances forwarding) sign each request with it"
                            + " (`Authorization: EdgeStop-HMAC-SHA256`, see [Job queries](http-api.md#job-queries-get-and-list)),"
                            + " anything else is answered 401; one token for all instances and adapters. An orchestrator"
                            + " with `query.port` and no token does not start (see [Job"
                            + " queries](http-api.md#job-queries-get-and-list))",
                    "none: required with `query.port`")
            .define(QUERY_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "the token itself instead of the file (embedded use, `edge-stop dev`); never both; hidden in"
                            + " `--print-settings`")
            .define(QUERY_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
                    "the host other instances forward queries to", "`query.host` (the host name when that is `0.0.0.0`)")
            .define(QUERY_QUOTA_PER_MINUTE, Type.INT, 6000, Range.atLeast(1), Importance.MEDIUM,
                    "Get and List calls per account per 60 s window, each action its own counter, apart from the stop's"
                            + " quota")
            .define(QUERY_FORWARD_TIMEOUT_MS, Type.LONG, 2000L, Range.atLeast(1), Importance.LOW,
                    "how long a query forwarded to the account's owner may take");

    /** The defaults as strings, the form {@link #values()} shows. */
    private static final Map<String, String> DEFAULTS = defaultStrings();

    private final Map<String, String> values;
    private final Map<String, Object> parsed;
    private final Topics topics;

    private OrchestratorConfig(Map<String, String> given) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        merged.putAll(given);
        this.values = Collections.unmodifiableMap(merged);
        this.parsed = parse(given);
        this.topics = new Topics(topicPrefix());
        validate();
        if (queryPort() >= 0 && !QueryToken.isSet(values)) {
            throw new IllegalArgumentException(QUERY_PORT + " is set but no token: the job query endpoint answers any"
                    + " account's jobs, so it needs the secret its callers share, " + QUERY_TOKEN_FILE
                    + " (a file whose first line is the token; or " + QUERY_TOKEN + ")");
        }
    }

    /** Config from key/values; missing keys take their defaults ({@link #definition()}). */
    public static OrchestratorConfig fromMap(Map<String, String> values) {
        Map<String, String> given = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (k != null && v != null) {
                    given.put(k.trim(), v.trim());
                }
            });
        }
        return new OrchestratorConfig(given);
    }

    /** The declarations of every orchestrator key besides {@code kafka.*} (a copy). */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    private static Map<String, String> defaultStrings() {
        Map<String, String> d = new LinkedHashMap<>();
        DEFINITION.configKeys().values().forEach(k -> d.put(k.name, ConfigDef.convertToString(k.defaultValue, k.type)));
        return Collections.unmodifiableMap(d);
    }

    /** The typed values; a refused one as the {@link IllegalArgumentException} of every check, naming key and value. */
    private static Map<String, Object> parse(Map<String, String> given) {
        try {
            return DEFINITION.parse(given);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The checks across keys and of what a type cannot say; each key's own range is declared. */
    private void validate() {
        if (commitBacklogIntervalMs() < commitIntervalMs()) {
            throw new IllegalArgumentException(COMMIT_BACKLOG_INTERVAL_MS + " must be at least " + COMMIT_INTERVAL_MS
                    + " (" + commitIntervalMs() + "), was " + commitBacklogIntervalMs());
        }
        if (rocksDbMemtableMb() >= rocksDbMemoryMb()) {
            throw new IllegalArgumentException(ROCKSDB_MEMTABLE_MB + " must be less than " + ROCKSDB_MEMORY_MB);
        }
        for (String producer : asyncProducers()) {
            if (!Topics.validProducerName(producer)) {
                throw new IllegalArgumentException(ASYNC_PRODUCERS + ": '" + producer + "' cannot name a topic ("
                        + Topics.CLUSTER_ID_RULE + ")");
            }
        }
    }

    /** Every key/value in force (defaults included). */
    public Map<String, String> values() {
        return values;
    }

    public String bootstrapServers() {
        return (String) parsed.get(BOOTSTRAP_SERVERS);
    }

    /**
     * The async producers whose topics the deciding task reads, sorted (the topology's sources follow this order). Which
     * accounts and principals each may act for is not set here but in each account's settings, so replay decides alike.
     */
    public List<String> asyncProducers() {
        String v = (String) parsed.get(ASYNC_PRODUCERS);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().sorted().toList();
    }

    public String topicPrefix() {
        return (String) parsed.get(TOPIC_PREFIX);
    }

    public Topics topics() {
        return topics;
    }

    public String applicationId() {
        return (String) parsed.get(APPLICATION_ID);
    }

    public String stateDir() {
        return (String) parsed.get(STATE_DIR);
    }

    public String processingGuarantee() {
        return (String) parsed.get(PROCESSING_GUARANTEE);
    }

    public short replicationFactor() {
        return (Short) parsed.get(REPLICATION_FACTOR);
    }

    public int numStandbyReplicas() {
        return (Integer) parsed.get(NUM_STANDBY_REPLICAS);
    }

    /** How often a stream thread that keeps up commits (and the report relay commits its offsets). */
    public long commitIntervalMs() {
        return (Long) parsed.get(COMMIT_INTERVAL_MS);
    }

    /** How often a stream thread commits while behind: Kafka Streams' own commit interval ({@code CommitPacing}). */
    public long commitBacklogIntervalMs() {
        return (Long) parsed.get(COMMIT_BACKLOG_INTERVAL_MS);
    }

    /** Kafka Streams threads of this instance (default: the number of cores). */
    public int numStreamThreads() {
        return (Integer) parsed.get(NUM_STREAM_THREADS);
    }

    public int quotaDefaultPerMinute() {
        return (Integer) parsed.get(QUOTA_DEFAULT_PER_MINUTE);
    }

    public long directiveDeadlineMs() {
        return (Long) parsed.get(DIRECTIVE_DEADLINE_MS);
    }

    public int directiveMaxAttempts() {
        return (Integer) parsed.get(DIRECTIVE_MAX_ATTEMPTS);
    }

    public long nonceWindowMs() {
        return (Long) parsed.get(NONCE_WINDOW_MS);
    }

    public long auditCheckpointRecords() {
        return (Long) parsed.get(AUDIT_CHECKPOINT_RECORDS);
    }

    public long auditCheckpointIntervalMs() {
        return (Long) parsed.get(AUDIT_CHECKPOINT_INTERVAL_MS);
    }

    /** Whether a checkpoint key is set (without reading it): without one the chains are written, no checkpoint. */
    public boolean signsAuditCheckpoints() {
        String file = (String) parsed.get(AUDIT_CHECKPOINT_KEY_FILE);
        return file != null && !file.isBlank();
    }

    /** The file of the key that signs the audit checkpoints ({@code audit.checkpoint.key.file}); null when none is set (no checkpoints). */
    public Path auditCheckpointKeyFile() {
        return signsAuditCheckpoints() ? Path.of((String) parsed.get(AUDIT_CHECKPOINT_KEY_FILE)) : null;
    }

    /** How far back the versioned tables (settings, policies, job state) answer as-of lookups. */
    public long tableHistoryRetentionMs() {
        return (Long) parsed.get(TABLE_HISTORY_RETENTION_MS);
    }

    /** Partitions of the directive topic the orchestrator creates for a new cluster ({@code KafkaDirectiveTopics}). */
    public int topicPartitions() {
        return (Integer) parsed.get(TOPIC_PARTITIONS);
    }

    /**
     * Wall-clock interval of the optional tick source that keeps stream time (and so directive
     * deadlines) moving on quiet partitions; default 1000, 0 disables it. See {@code StreamTimeTicker}.
     */
    public long tickIntervalMs() {
        return (Long) parsed.get(TICK_INTERVAL_MS);
    }

    /** Native memory of all RocksDB stores of the process together: block cache, index and filter blocks, memtables. */
    public String adminHost() {
        return (String) parsed.get(ADMIN_HOST);
    }

    /** Port of the admin endpoint (/metrics, /healthz, /readyz): -1 off, 0 any free port. */
    public int adminPort() {
        return (Integer) parsed.get(ADMIN_PORT);
    }

    /** Interface of the job query endpoint. */
    public String queryHost() {
        return (String) parsed.get(QUERY_HOST);
    }

    /** Port of the job query endpoint: -1 off, 0 any free port. */
    public int queryPort() {
        return (Integer) parsed.get(QUERY_PORT);
    }

    /** The host other instances reach this one's query endpoint at ({@code application.server}); empty: {@link #queryHost()}. */
    public String queryAdvertisedHost() {
        return (String) parsed.get(QUERY_ADVERTISED_HOST);
    }

    /** Calls a minute per account of each read action (GetEdgeTranscodeJob, ListEdgeTranscodeJob), apart from the stop's quota. */
    public int queryQuotaPerMinute() {
        return (Integer) parsed.get(QUERY_QUOTA_PER_MINUTE);
    }

    /** The job query endpoint's shared secret, read now (from {@code query.token.file}); null when none is set. */
    public QueryToken queryToken() {
        return QueryToken.fromSettings(values).orElse(null);
    }

    /** How long a query forwarded to the account's owner may take. */
    public long queryForwardTimeoutMs() {
        return (Long) parsed.get(QUERY_FORWARD_TIMEOUT_MS);
    }

    /** The job query endpoint's settings, its token read now ({@link #queryToken()}). */
    public QuerySettings querySettings() {
        return new QuerySettings(queryHost(), queryPort(), queryAdvertisedHost(), queryToken(), queryQuotaPerMinute(),
                nonceWindowMs(), Duration.ofMillis(queryForwardTimeoutMs()));
    }

    /** The commit pace of the stream threads. */
    public CommitIntervals commitIntervals() {
        return new CommitIntervals(commitIntervalMs(), commitBacklogIntervalMs());
    }

    /** The settings the decisions are made with. */
    public DecisionSettings decisionSettings() {
        return new DecisionSettings(nonceWindowMs(), quotaDefaultPerMinute(), directiveDeadlineMs(), directiveMaxAttempts());
    }

    /** What the topology is built from; its tasks run with {@link #streamsProperties()}. */
    public TopologySettings topologySettings() {
        return new TopologySettings(topics, asyncProducers(), Duration.ofMillis(tableHistoryRetentionMs()),
                auditCheckpointKeyFile(), auditCheckpointRecords(), auditCheckpointIntervalMs(), commitIntervals(),
                decisionSettings(), new TopologyConfig(new StreamsConfig(streamsProperties())));
    }

    public long rocksDbMemoryMb() {
        return (Long) parsed.get(ROCKSDB_MEMORY_MB);
    }

    /** The part of {@link #rocksDbMemoryMb()} that memtables may take. */
    public long rocksDbMemtableMb() {
        return (Long) parsed.get(ROCKSDB_MEMTABLE_MB);
    }

    /** The {@code kafka.*} client settings, for every Kafka client of the orchestrator (Streams and its own). */
    public KafkaClientSettings kafkaClientSettings() {
        return KafkaClientSettings.fromComponentSettings(values);
    }

    /**
     * Properties of a plain producer of the orchestrator's own (ticks, dead letters from the global
     * thread): idempotent, acks=all, then the {@code kafka.*} client settings.
     */
    public Properties producerProperties(String clientIdSuffix) {
        return KafkaClientProperties.of(bootstrapServers(), kafkaClientSettings())
                .withDefault(ProducerConfig.CLIENT_ID_CONFIG, applicationId() + "-" + clientIdSuffix)
                .withDefault(ProducerConfig.ACKS_CONFIG, "all")
                .withDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .build();
    }

    /** Kafka Streams properties: the orchestrator's settings, then the {@code kafka.*} client settings. */
    public Properties streamsProperties() {
        return KafkaClientProperties.of(bootstrapServers(), kafkaClientSettings())
                .withDefault(StreamsConfig.APPLICATION_ID_CONFIG, applicationId())
                .withDefault(StreamsConfig.STATE_DIR_CONFIG, stateDir())
                .withDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee())
                .withDefault(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(replicationFactor()))
                // changelogs and repartition topics: the same min ISR as the topics TopicProvisioner creates
                .withDefault(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                        Integer.toString(MinInsyncReplicas.forReplicationFactor(replicationFactor())))
                .withDefault(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(numStandbyReplicas()))
                // the longest a thread goes without committing; the processors ask for commits sooner while it keeps up
                .withDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitBacklogIntervalMs()))
                .withDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(numStreamThreads()))
                // With transactions v2 the broker rejects (retriably, OutOfOrderSequenceException) a transaction's
                // second batch to a partition that arrives before its first was appended; the default 100 ms
                // retry backoff then lands on the commit and on every decision's latency. Backoff still grows
                // exponentially up to retry.backoff.max.ms for real outages.
                .withDefault(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "10")
                // After a partition leader's loss the next transactions' batches are refused with CONCURRENT_TRANSACTIONS
                // while the coordinator still writes the previous markers; with the default ceiling of 1 s every retry
                // waited up to a second and a fault test saw about one transaction a second for minutes (docs/reliability.md).
                .withDefault(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), "100")
                .withDefault(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName())
                .withDefault(BoundedRocksDb.TOTAL_BYTES, Long.toString(rocksDbMemoryMb() << 20))
                .withDefault(BoundedRocksDb.MEMTABLE_BYTES, Long.toString(rocksDbMemtableMb() << 20))
                .withDefault(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName())
                .withDefault(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        LogAndContinueProcessingExceptionHandler.class.getName())
                .withDefault(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter())
                .build();
    }

    @Override
    public String toString() {
        return "OrchestratorConfig" + KafkaClientSettings.redact(values);
    }
}
