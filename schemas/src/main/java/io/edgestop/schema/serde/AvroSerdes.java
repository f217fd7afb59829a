package io.edgestop.schema.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.AuditChainHead;
import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.CommandLedgerEntry;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.PendingStopEntry;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.topics.TopicContract;

/**
 * One ready Serde per record type that crosses Kafka (topics and store changelogs), each the value
 * serde of a {@link TopicContract} topic with that type. Serdes are thread-safe and shareable.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** The value serde of an Avro-valued topic. */
    public static <T extends SpecificRecord> AvroSerde<T> of(TopicContract<T> topic) {
        return new AvroSerde<>(topic.valueType());
    }

    /**
     * A new serde for the values of any topic: Avro single-object encoding (every released version
     * readable), or raw bytes for a topic whose values are not Avro records (dead letters).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <V> Serde<V> valueSerde(TopicContract<V> topic) {
        return topic.avro() ? new AvroSerde(topic.valueType()) : (Serde<V>) Serdes.ByteArray();
    }

    public static AvroSerde<StopCommand> stopCommand() {
        return of(TopicContract.STOP_COMMANDS);
    }

    public static AvroSerde<JobState> jobState() {
        return of(TopicContract.JOB_STATE);
    }

    public static AvroSerde<JobStatusReport> jobStatusReport() {
        return of(TopicContract.JOB_STATUS_REPORTS);
    }

    public static AvroSerde<AccountSettings> accountSettings() {
        return of(TopicContract.ACCOUNT_SETTINGS);
    }

    public static AvroSerde<AccountPolicies> accountPolicies() {
        return of(TopicContract.ACCOUNT_POLICIES);
    }

    public static AvroSerde<StopDirective> stopDirective() {
        return of(TopicContract.DIRECTIVES);
    }

    public static AvroSerde<StopResult> stopResult() {
        return of(TopicContract.STOP_RESULTS);
    }

    public static AvroSerde<AuditRecord> auditRecord() {
        return of(TopicContract.AUDIT);
    }

    public static AvroSerde<JobEvent> jobEvent() {
        return of(TopicContract.JOB_EVENTS);
    }

    public static AvroSerde<JobObservation> jobObservation() {
        return of(TopicContract.JOB_OBSERVATIONS);
    }

    public static AvroSerde<PendingStopEntry> pendingStopEntry() {
        return of(TopicContract.PENDING_STOPS);
    }

    public static AvroSerde<AuditCheckpoint> auditCheckpoint() {
        return of(TopicContract.AUDIT_CHECKPOINTS);
    }

    public static AvroSerde<AuditChainHead> auditChainHead() {
        return of(TopicContract.AUDIT_CHAIN);
    }

    public static AvroSerde<CommandLedgerEntry> commandLedgerEntry() {
        return of(TopicContract.COMMAND_LEDGER);
    }
}
