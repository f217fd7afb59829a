package io.edgestop.orchestrator.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

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

    private static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(BOOTSTRAP_SERVERS, "localhost:9092");
        d.put(TOPIC_PREFIX, Topics.DEFAULT_PREFIX);
        d.put(APPLICATION_ID, "edgestop-orchestrator");
        d.put(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "edgestop-orchestrator").toString());
        d.put(PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
        d.put(REPLICATION_FACTOR, "3");
        d.put(NUM_STANDBY_REPLICAS, "1");
        // a decision is visible downstream only once its transaction commits, so the commit interval is most of a
        // decision's latency: 20 ms, against 100 and 10 side by side in docs/benchmarks.md. That is the pace while a
        // thread keeps up; behind (its records older than the backlog interval) it commits every 100 ms, Kafka's
        // exactly-once default, so that slow commits do not starve the processing (CommitPacing)
        d.put(COMMIT_INTERVAL_MS, "20");
        d.put(COMMIT_BACKLOG_INTERVAL_MS, "100");
        // one stream thread per core: a thread is single-threaded work (deserialize, decide, serialize, produce)
        d.put(NUM_STREAM_THREADS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        d.put(QUOTA_DEFAULT_PER_MINUTE, "6000");
        d.put(DIRECTIVE_DEADLINE_MS, "30000");
        d.put(DIRECTIVE_MAX_ATTEMPTS, "3");
        d.put(NONCE_WINDOW_MS, "900000");
        d.put(TABLE_HISTORY_RETENTION_MS, "86400000");
        d.put(TOPIC_PARTITIONS, "6");
        // deadlines must fire on quiet accounts too, and an input partition that never receives a record can leave
        // its task waiting for the partition's lag after a broker restart (docs/reliability.md): one tick a second
        d.put(TICK_INTERVAL_MS, "1000");
        // one block cache for every store of the process, memtables charged to it (BoundedRocksDb)
        d.put(ROCKSDB_MEMORY_MB, "64");
        d.put(ROCKSDB_MEMTABLE_MB, "16");
        // /metrics, /healthz, /readyz: off (-1) when embedded; `edge-stop orchestrator` serves it on 9464
        d.put(ADMIN_HOST, "0.0.0.0");
        d.put(ADMIN_PORT, "-1");
        // the job query endpoint (GetEdgeTranscodeJob, ListEdgeTranscodeJob through the adapter): off (-1) unless set;
        // it answers any account's jobs to a holder of the token (query.token.file), so it listens on loopback
        // unless told otherwise; no default token: one must be set with the port
        d.put(QUERY_HOST, "127.0.0.1");
        d.put(QUERY_PORT, "-1");
        d.put(QUERY_ADVERTISED_HOST, "");
        d.put(QUERY_QUOTA_PER_MINUTE, "6000");
        d.put(QUERY_FORWARD_TIMEOUT_MS, "2000");
        // the endpoint's shared secret: no default (null), required with query.port
        d.put(QUERY_TOKEN_FILE, null);
        d.put(QUERY_TOKEN, null);
        // signed checkpoints of the audit chains (docs/audit.md): at most this many records or this much stream time
        // unconfirmed; no key by default (a secret: edge-stop dev makes one per run), and then no checkpoints
        d.put(AUDIT_CHECKPOINT_RECORDS, "1000");
        d.put(AUDIT_CHECKPOINT_INTERVAL_MS, "60000");
        d.put(AUDIT_CHECKPOINT_KEY_FILE, null);
        // the async producers whose command topics (async-commands.<name>) are decided besides stop-commands: none
        d.put(ASYNC_PRODUCERS, null);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;
    private final Topics topics;

    private OrchestratorConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        this.topics = new Topics(values.get(TOPIC_PREFIX));
        validate();
        if (queryPort() >= 0 && !QueryToken.isSet(values)) {
            throw new IllegalArgumentException(QUERY_PORT + " is set but no token: the job query endpoint answers any"
                    + " account's jobs, so it needs the secret its callers share, " + QUERY_TOKEN_FILE
                    + " (a file whose first line is the token; or " + QUERY_TOKEN + ")");
        }
    }

    /** Config from key/values; missing keys take their defaults ({@link #defaults()}). */
    public static OrchestratorConfig fromMap(Map<String, String> values) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        if (values != null) {
            values.forEach((k, v) -> {
                if (k != null && v != null) {
                    merged.put(k.trim(), v.trim());
                }
            });
        }
        return new OrchestratorConfig(merged);
    }

    /** The default value of every orchestrator key. */
    public static Map<String, String> defaults() {
        return DEFAULTS;
    }

    private void validate() {
        if (replicationFactor() < 1 || replicationFactor() > Short.MAX_VALUE) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + " must be >= 1");
        }
        positive(QUOTA_DEFAULT_PER_MINUTE, quotaDefaultPerMinute());
        positive(DIRECTIVE_DEADLINE_MS, directiveDeadlineMs());
        positive(DIRECTIVE_MAX_ATTEMPTS, directiveMaxAttempts());
        positive(NONCE_WINDOW_MS, nonceWindowMs());
        positive(AUDIT_CHECKPOINT_RECORDS, auditCheckpointRecords());
        positive(AUDIT_CHECKPOINT_INTERVAL_MS, auditCheckpointIntervalMs());
        positive(TABLE_HISTORY_RETENTION_MS, tableHistoryRetentionMs());
        positive(TOPIC_PARTITIONS, topicPartitions());
        if (numStandbyReplicas() < 0) {
            throw new IllegalArgumentException(NUM_STANDBY_REPLICAS + " must be >= 0");
        }
        positive(COMMIT_INTERVAL_MS, commitIntervalMs());
        if (commitBacklogIntervalMs() < commitIntervalMs()) {
            throw new IllegalArgumentException(COMMIT_BACKLOG_INTERVAL_MS + " must be at least " + COMMIT_INTERVAL_MS
                    + " (" + commitIntervalMs() + "), was " + commitBacklogIntervalMs());
        }
        positive(NUM_STREAM_THREADS, numStreamThreads());
        positive(ROCKSDB_MEMORY_MB, rocksDbMemoryMb());
        positive(ROCKSDB_MEMTABLE_MB, rocksDbMemtableMb());
        if (rocksDbMemtableMb() >= rocksDbMemoryMb()) {
            throw new IllegalArgumentException(ROCKSDB_MEMTABLE_MB + " must be less than " + ROCKSDB_MEMORY_MB);
        }
        if (adminPort() < -1 || adminPort() > 65535) {
            throw new IllegalArgumentException(ADMIN_PORT + " must be -1 (off), 0 (any free port) or a port, was " + adminPort());
        }
        if (queryPort() < -1 || queryPort() > 65535) {
            throw new IllegalArgumentException(QUERY_PORT + " must be -1 (off), 0 (any free port) or a port, was " + queryPort());
        }
        positive(QUERY_QUOTA_PER_MINUTE, queryQuotaPerMinute());
        positive(QUERY_FORWARD_TIMEOUT_MS, queryForwardTimeoutMs());
        for (String producer : asyncProducers()) {
            if (!Topics.validProducerName(producer)) {
                throw new IllegalArgumentException(ASYNC_PRODUCERS + ": '" + producer + "' cannot name a topic ("
                        + Topics.CLUSTER_ID_RULE + ")");
            }
        }
        if (tickIntervalMs() < 0) {
            throw new IllegalArgumentException(TICK_INTERVAL_MS + " must be >= 0");
        }
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, was " + value);
        }
    }

    private long longValue(String key) {
        String v = values.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'", e);
        }
    }

    /** Every key/value in force (defaults included). */
    public Map<String, String> values() {
        return values;
    }

    public String bootstrapServers() {
        return values.get(BOOTSTRAP_SERVERS);
    }

    /**
     * The async producers whose topics the deciding task reads, sorted (the topology's sources follow this order). Which
     * accounts and principals each may act for is not set here but in each account's settings, so replay decides alike.
     */
    public List<String> asyncProducers() {
        String v = values.get(ASYNC_PRODUCERS);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().sorted().toList();
    }

    public String topicPrefix() {
        return values.get(TOPIC_PREFIX);
    }

    public Topics topics() {
        return topics;
    }

    public String applicationId() {
        return values.get(APPLICATION_ID);
    }

    public String stateDir() {
        return values.get(STATE_DIR);
    }

    public String processingGuarantee() {
        return values.get(PROCESSING_GUARANTEE);
    }

    public short replicationFactor() {
        return (short) longValue(REPLICATION_FACTOR);
    }

    public int numStandbyReplicas() {
        return (int) longValue(NUM_STANDBY_REPLICAS);
    }

    /** How often a stream thread that keeps up commits (and the report relay commits its offsets). */
    public long commitIntervalMs() {
        return longValue(COMMIT_INTERVAL_MS);
    }

    /** How often a stream thread commits while behind: Kafka Streams' own commit interval ({@code CommitPacing}). */
    public long commitBacklogIntervalMs() {
        return longValue(COMMIT_BACKLOG_INTERVAL_MS);
    }

    /** Kafka Streams threads of this instance (default: the number of cores). */
    public int numStreamThreads() {
        return (int) longValue(NUM_STREAM_THREADS);
    }

    public int quotaDefaultPerMinute() {
        return (int) longValue(QUOTA_DEFAULT_PER_MINUTE);
    }

    public long directiveDeadlineMs() {
        return longValue(DIRECTIVE_DEADLINE_MS);
    }

    public int directiveMaxAttempts() {
        return (int) longValue(DIRECTIVE_MAX_ATTEMPTS);
    }

    public long nonceWindowMs() {
        return longValue(NONCE_WINDOW_MS);
    }

    public long auditCheckpointRecords() {
        return longValue(AUDIT_CHECKPOINT_RECORDS);
    }

    public long auditCheckpointIntervalMs() {
        return longValue(AUDIT_CHECKPOINT_INTERVAL_MS);
    }

    /** Whether a checkpoint key is set (without reading it): without one the chains are written, no checkpoint. */
    public boolean signsAuditCheckpoints() {
        String file = values.get(AUDIT_CHECKPOINT_KEY_FILE);
        return file != null && !file.isBlank();
    }

    /** The file of the key that signs the audit checkpoints ({@code audit.checkpoint.key.file}); null when none is set (no checkpoints). */
    public Path auditCheckpointKeyFile() {
        return signsAuditCheckpoints() ? Path.of(values.get(AUDIT_CHECKPOINT_KEY_FILE)) : null;
    }

    /** How far back the versioned tables (settings, policies, job state) answer as-of lookups. */
    public long tableHistoryRetentionMs() {
        return longValue(TABLE_HISTORY_RETENTION_MS);
    }

    /** Partitions of the directive topic the orchestrator creates for a new cluster ({@code KafkaDirectiveTopics}). */
    public int topicPartitions() {
        return (int) longValue(TOPIC_PARTITIONS);
    }

    /**
     * Wall-clock interval of the optional tick source that keeps stream time (and so directive
     * deadlines) moving on quiet partitions; default 1000, 0 disables it. See {@code StreamTimeTicker}.
     */
    public long tickIntervalMs() {
        return longValue(TICK_INTERVAL_MS);
    }

    /** Native memory of all RocksDB stores of the process together: block cache, index and filter blocks, memtables. */
    public String adminHost() {
        return values.get(ADMIN_HOST);
    }

    /** Port of the admin endpoint (/metrics, /healthz, /readyz): -1 off, 0 any free port. */
    public int adminPort() {
        return (int) longValue(ADMIN_PORT);
    }

    /** Interface of the job query endpoint. */
    public String queryHost() {
        return values.get(QUERY_HOST);
    }

    /** Port of the job query endpoint: -1 off, 0 any free port. */
    public int queryPort() {
        return (int) longValue(QUERY_PORT);
    }

    /** The host other instances reach this one's query endpoint at ({@code application.server}); empty: {@link #queryHost()}. */
    public String queryAdvertisedHost() {
        return values.get(QUERY_ADVERTISED_HOST);
    }

    /** Calls a minute per account of each read action (GetEdgeTranscodeJob, ListEdgeTranscodeJob), apart from the stop's quota. */
    public int queryQuotaPerMinute() {
        return (int) longValue(QUERY_QUOTA_PER_MINUTE);
    }

    /** The job query endpoint's shared secret, read now (from {@code query.token.file}); null when none is set. */
    public QueryToken queryToken() {
        return QueryToken.fromSettings(values).orElse(null);
    }

    /** How long a query forwarded to the account's owner may take. */
    public long queryForwardTimeoutMs() {
        return longValue(QUERY_FORWARD_TIMEOUT_MS);
    }

    public long rocksDbMemoryMb() {
        return longValue(ROCKSDB_MEMORY_MB);
    }

    /** The part of {@link #rocksDbMemoryMb()} that memtables may take. */
    public long rocksDbMemtableMb() {
        return longValue(ROCKSDB_MEMTABLE_MB);
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
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId() + "-" + clientIdSuffix);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return kafkaClientSettings().applyTo(p);
    }

    /** Kafka Streams properties: the orchestrator's settings, then the {@code kafka.*} client settings. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(replicationFactor()));
        // changelogs and repartition topics: the same min ISR as the topics TopicProvisioner creates
        p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(MinInsyncReplicas.forReplicationFactor(replicationFactor())));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(numStandbyReplicas()));
        // the longest a thread goes without committing; the processors ask for commits sooner while it keeps up
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitBacklogIntervalMs()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(numStreamThreads()));
        // With transactions v2 the broker rejects (retriably, OutOfOrderSequenceException) a transaction's
        // second batch to a partition that arrives before its first was appended; the default 100 ms
        // retry backoff then lands on the commit and on every decision's latency. Backoff still grows
        // exponentially up to retry.backoff.max.ms for real outages.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "10");
        // After a partition leader's loss the next transactions' batches are refused with CONCURRENT_TRANSACTIONS
        // while the coordinator still writes the previous markers; with the default ceiling of 1 s every retry
        // waited up to a second and a fault test saw about one transaction a second for minutes (docs/reliability.md).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), "100");
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
        p.put(BoundedRocksDb.TOTAL_BYTES, Long.toString(rocksDbMemoryMb() << 20));
        p.put(BoundedRocksDb.MEMTABLE_BYTES, Long.toString(rocksDbMemtableMb() << 20));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter());
        return kafkaClientSettings().applyTo(p);
    }

    @Override
    public String toString() {
        return "OrchestratorConfig" + KafkaClientSettings.redact(values);
    }
}
