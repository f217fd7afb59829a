package io.edgestop.topics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditChainHead;
import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.CommandLedgerEntry;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.PendingStopEntry;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;

/**
 * The topic contract, one entry per topic, the internal ones included: name, key, value format,
 * cleanup and retention, partition count and co-partition group. Everything else is derived from
 * it: the names ({@link Topics}), the creation settings (the orchestrator's {@code TopicProvisioner}),
 * the serdes ({@code AvroSerdes}), the schemas under the evolution gate ({@code TopicSchemas}) and
 * with them the classes Avro may instantiate ({@code TrustedClasses}).
 * Adding a topic is one constant here plus its schema (docs/architecture.md, "Adding a topic").
 *
 * @param <V> the value type: a generated Avro record, or {@code byte[]} for raw records
 */
public final class TopicContract<V> {

    /** Who creates the topic, and so what its {@link #name} is relative to. */
    public enum Kind {
        /** Created by the provisioner; named {@code <topic.prefix><name>}. */
        FIXED,
        /** One per edge cluster, created by the provisioner or by the orchestrator at the cluster's first job; {@code <topic.prefix><name><clusterId>}. */
        PER_CLUSTER,
        /** One per async producer, created by the provisioner for the producers it is given; {@code <topic.prefix><name><producer>}. */
        PER_PRODUCER,
        /** Created by Kafka Streams (a repartition topic or a store's changelog); {@code <application.id>-<name>}. */
        INTERNAL
    }

    /** The record key's format. Every key but a dead letter's is a UTF-8 string. */
    public enum Key {
        ACCOUNT_ID("accountId"),
        JOB("clusterId/jobId"),
        REQUEST_ID("requestId"),
        /** The command ledger's keys: {@code accountId \n accessKeyId \n nonce}, or {@code accountId \n \u0001 requestId}. */
        LEDGER("accountId\\naccessKeyId\\nnonce"),
        /** The audit chain's: the partition of the deciding task whose chain it is (docs/audit.md). */
        CHAIN("chain (task partition)"),
        /** A dead letter keeps the key of the record it stands for, as it was. */
        RAW("raw");

        private final String description;

        Key(String description) {
            this.description = description;
        }

        /** How the docs' topic table names it. */
        public String description() {
            return description;
        }

        @SuppressWarnings("unchecked")
        public <K> Serde<K> serde() {
            return (Serde<K>) (this == RAW ? Serdes.ByteArray() : Serdes.String());
        }
    }

    /** How many partitions the topic has. */
    public enum Partitions {
        /** The provisioner's count ({@code topic.partitions}), the same for every topic it creates. */
        PROVISIONED("topic.partitions"),
        /** Kafka Streams gives it the partition count of its co-partition group's source topics. */
        OF_GROUP("the group's (Kafka Streams)");

        private final String description;

        Partitions(String description) {
            this.description = description;
        }

        /** How the docs' topic table says it. */
        public String description() {
            return description;
        }
    }

    /** cleanup.policy and, for delete, retention.ms ({@code -1}: forever); {@code null} for internal topics, which Kafka Streams configures. */
    public record Cleanup(String policy, Long retentionMs) {

        static final long DAY_MS = 24L * 60 * 60 * 1000;

        static Cleanup deleteAfterDays(int days) {
            return new Cleanup(TopicConfig.CLEANUP_POLICY_DELETE, days * DAY_MS);
        }

        static Cleanup keepForever() {
            return new Cleanup(TopicConfig.CLEANUP_POLICY_DELETE, -1L);
        }

        static Cleanup compact() {
            return new Cleanup(TopicConfig.CLEANUP_POLICY_COMPACT, null);
        }

        /** The topic configs that say it. */
        public Map<String, String> configs() {
            Map<String, String> configs = new LinkedHashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, policy);
            if (retentionMs != null) {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
            }
            return Collections.unmodifiableMap(configs);
        }

        /** How the docs' topic table says it. */
        public String description() {
            if (retentionMs == null) {
                return policy;
            }
            if (retentionMs < 0) {
                return policy + ", retention.ms=-1 (forever)";
            }
            long days = retentionMs / DAY_MS;
            return policy + ", " + days + (days == 1 ? " day" : " days");
        }
    }

    /**
     * How far from the broker's clock the timestamp of a record appended to the topic may be; the broker refuses
     * one outside (KIP-937, Kafka 3.6+). Records' timestamps drive the orchestrator's decisions and stream time,
     * so their writers may not choose them freely (docs/security.md).
     */
    public record TimestampBound(long beforeMaxMs, long afterMaxMs) {
        /**
         * Commands: back, above the longest delivery timeout of a producer that retries through a broker's loss
         * (the fault tests' 180 s; Kafka's default is 120 s), since a retried batch keeps the timestamp it got at
         * send(); ahead, clock skew only (a command dated ahead would move its account's stream time).
         */
        public static final TimestampBound COMMANDS = new TimestampBound(5 * 60_000L, 60_000L);
        /**
         * Reports and ticks: back, a producer's 2-minute delivery timeout with room; ahead, clock skew only (a
         * writer can bring deadlines of its partition's stops this much earlier, no more).
         */
        public static final TimestampBound REPORTS = new TimestampBound(10 * 60_000L, 5_000L);

        /** The topic configs that say it. */
        public Map<String, String> configs() {
            return Map.of(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.toString(beforeMaxMs),
                    TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(afterMaxMs));
        }
    }

    /** The co-partition group of the account's task: same key (accountId), same partition count, default partitioner. */
    public static final String ACCOUNT_GROUP = "account";

    private static final List<TopicContract<?>> ALL = new ArrayList<>(); // before the constants, which add themselves

    // ---- the fixed topics
    public static final TopicContract<StopCommand> STOP_COMMANDS = fixed("stop-commands", Key.ACCOUNT_ID, StopCommand.class,
            Cleanup.deleteAfterDays(7), ACCOUNT_GROUP).bounding(TimestampBound.COMMANDS);
    public static final TopicContract<AccountSettings> ACCOUNT_SETTINGS = fixed("account-settings", Key.ACCOUNT_ID,
            AccountSettings.class, Cleanup.compact(), ACCOUNT_GROUP);
    public static final TopicContract<AccountPolicies> ACCOUNT_POLICIES = fixed("account-policies", Key.ACCOUNT_ID,
            AccountPolicies.class, Cleanup.compact(), ACCOUNT_GROUP);
    public static final TopicContract<JobState> JOB_STATE = fixed("job-state", Key.JOB, JobState.class, Cleanup.compact(), null);
    /**
     * The edge workers' reports the orchestrator's relay took from each cluster's own topic after checking that
     * they speak of that cluster's jobs only; written by the orchestrator only, read by its topology.
     */
    public static final TopicContract<JobStatusReport> VERIFIED_REPORTS = fixed("verified-reports", Key.JOB,
            JobStatusReport.class, Cleanup.deleteAfterDays(7), null);
    /** Stream-time ticks, written by the orchestrator only (issue 21: workers cannot move stream time). */
    public static final TopicContract<JobStatusReport> STREAM_TIME_TICKS = fixed("stream-time-ticks", Key.JOB,
            JobStatusReport.class, Cleanup.deleteAfterDays(7), null).bounding(TimestampBound.REPORTS);
    public static final TopicContract<JobObservation> JOB_OBSERVATIONS = fixed("job-observations", Key.JOB,
            JobObservation.class, Cleanup.compact(), null);
    public static final TopicContract<StopResult> STOP_RESULTS = fixed("stop-results", Key.REQUEST_ID, StopResult.class,
            Cleanup.deleteAfterDays(7), null);
    public static final TopicContract<AuditRecord> AUDIT = fixed("audit", Key.ACCOUNT_ID, AuditRecord.class,
            Cleanup.keepForever(), null);
    public static final TopicContract<AuditCheckpoint> AUDIT_CHECKPOINTS = fixed("audit-checkpoints", Key.CHAIN,
            AuditCheckpoint.class, Cleanup.keepForever(), null);
    public static final TopicContract<byte[]> DEAD_LETTER = fixed("dead-letter", Key.RAW, byte[].class,
            Cleanup.deleteAfterDays(30), null);

    // ---- one per edge cluster
    public static final TopicContract<StopDirective> DIRECTIVES = new TopicContract<>("directives.", Kind.PER_CLUSTER, Key.JOB,
            StopDirective.class, Cleanup.deleteAfterDays(7), Partitions.PROVISIONED, null, null);
    /** What a cluster's workers observed; only that cluster's worker principal may write it (issue 21). */
    public static final TopicContract<JobStatusReport> JOB_STATUS_REPORTS = new TopicContract<>("job-status-reports.",
            Kind.PER_CLUSTER, Key.JOB, JobStatusReport.class, Cleanup.deleteAfterDays(7), Partitions.PROVISIONED, null, null)
            .bounding(TimestampBound.REPORTS);

    // ---- one per async producer: only that producer's principal may write it, so the topic names the producer
    public static final TopicContract<StopCommand> ASYNC_COMMANDS = new TopicContract<>("async-commands.", Kind.PER_PRODUCER,
            Key.ACCOUNT_ID, StopCommand.class, Cleanup.deleteAfterDays(7), Partitions.PROVISIONED, ACCOUNT_GROUP, null)
            .bounding(TimestampBound.COMMANDS);

    // ---- internal to the orchestrator (Kafka Streams creates them)
    public static final TopicContract<JobEvent> JOB_EVENTS = new TopicContract<>("job-events-repartition", Kind.INTERNAL,
            Key.ACCOUNT_ID, JobEvent.class, null, Partitions.OF_GROUP, ACCOUNT_GROUP, "job-events");
    public static final TopicContract<AccountSettings> ACCOUNT_SETTINGS_VERSIONS = changelog("account-settings-versions",
            Key.ACCOUNT_ID, AccountSettings.class);
    public static final TopicContract<AccountPolicies> ACCOUNT_POLICIES_VERSIONS = changelog("account-policies-versions",
            Key.ACCOUNT_ID, AccountPolicies.class);
    public static final TopicContract<CommandLedgerEntry> COMMAND_LEDGER = changelog("command-ledger", Key.LEDGER,
            CommandLedgerEntry.class);
    public static final TopicContract<JobObservation> JOB_OBSERVATIONS_STORE = changelog("job-observations", Key.JOB,
            JobObservation.class);
    public static final TopicContract<PendingStopEntry> PENDING_STOPS = changelog("pending-stops", Key.JOB,
            PendingStopEntry.class);
    public static final TopicContract<AuditChainHead> AUDIT_CHAIN = changelog("audit-chain", Key.CHAIN,
            AuditChainHead.class);

    private final String name;
    private final Kind kind;
    private final Key key;
    private final Class<V> valueType;
    private final Cleanup cleanup;
    private final Partitions partitions;
    private final String coPartitionGroup;
    private final String streamsName;
    private TimestampBound timestampBound;

    private TopicContract(String name, Kind kind, Key key, Class<V> valueType, Cleanup cleanup, Partitions partitions,
                          String coPartitionGroup, String streamsName) {
        this.name = name;
        this.kind = kind;
        this.key = key;
        this.valueType = valueType;
        this.cleanup = cleanup;
        this.partitions = partitions;
        this.coPartitionGroup = coPartitionGroup;
        this.streamsName = streamsName;
        ALL.add(this);
    }

    private static <V> TopicContract<V> fixed(String name, Key key, Class<V> valueType, Cleanup cleanup, String group) {
        return new TopicContract<>(name, Kind.FIXED, key, valueType, cleanup, Partitions.PROVISIONED, group, null);
    }

    /** The changelog of a store of the deciding task (one partition per task: the account group's count). */
    private static <V> TopicContract<V> changelog(String store, Key key, Class<V> valueType) {
        return new TopicContract<>(store + "-changelog", Kind.INTERNAL, key, valueType, null, Partitions.OF_GROUP,
                ACCOUNT_GROUP, store);
    }

    /** The broker bounds the timestamps of records appended to this topic. */
    private TopicContract<V> bounding(TimestampBound bound) {
        this.timestampBound = bound;
        return this;
    }

    /** How far from the broker's clock a record's timestamp may be on this topic; null when unbounded. */
    public TimestampBound timestampBound() {
        return timestampBound;
    }

    /** Every topic of the system, in the order above. */
    public static List<TopicContract<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The topics the provisioner creates (every one of {@link Kind#FIXED}). */
    public static List<TopicContract<?>> fixed() {
        return ALL.stream().filter(c -> c.kind == Kind.FIXED).toList();
    }

    /** The name without its prefix: {@code <topic.prefix>}, {@code <topic.prefix>...<clusterId>} or {@code <application.id>-} (see {@link Kind}). */
    public String name() {
        return name;
    }

    /** How the docs' topic table names it. */
    public String documentedName() {
        return switch (kind) {
            case FIXED -> name;
            case PER_CLUSTER -> name + "<clusterId>";
            case PER_PRODUCER -> name + "<producer>";
            case INTERNAL -> "<application.id>-" + name;
        };
    }

    public Kind kind() {
        return kind;
    }

    public Key key() {
        return key;
    }

    public Class<V> valueType() {
        return valueType;
    }

    /** True when values are Avro records under the evolution gate; false for raw bytes (dead letters). */
    public boolean avro() {
        return SpecificRecord.class.isAssignableFrom(valueType);
    }

    /** The current schema of the value, or null for raw values. */
    public Schema valueSchema() {
        return avro() ? SpecificData.get().getSchema(valueType) : null;
    }

    /** The topic's cleanup and retention; null for an internal topic (Kafka Streams sets it). */
    public Cleanup cleanup() {
        return cleanup;
    }

    /** How the docs' topic table says the cleanup and retention. */
    public String documentedCleanup() {
        if (cleanup != null) {
            return cleanup.description();
        }
        return name.endsWith("-changelog") ? "compact (Kafka Streams)" : "delete, purged after commit (Kafka Streams)";
    }

    /**
     * The configs the topic is created with: its cleanup and retention and, for a topic whose writers'
     * timestamps decide (commands, reports, ticks), how far a record's timestamp may be from the broker's
     * time when it is appended ({@link #timestampBound()}); null for an internal topic.
     */
    public Map<String, String> configs() {
        if (cleanup == null) {
            return null;
        }
        Map<String, String> configs = new LinkedHashMap<>(cleanup.configs());
        if (timestampBound != null) {
            configs.putAll(new java.util.TreeMap<>(timestampBound.configs()));
        }
        return Collections.unmodifiableMap(configs);
    }

    public Partitions partitions() {
        return partitions;
    }

    /** The co-partition group, or null when the topic need not be co-partitioned with any other. */
    public String coPartitionGroup() {
        return coPartitionGroup;
    }

    /**
     * For an internal topic, the name the topology gives Kafka Streams, which names the topic after it:
     * the store of a changelog, the repartition of a repartition topic; null for every other topic.
     */
    public String streamsName() {
        return streamsName;
    }

    @Override
    public String toString() {
        return documentedName();
    }
}
