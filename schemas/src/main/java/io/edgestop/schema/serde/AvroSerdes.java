package io.edgestop.schema.serde;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
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

/** One ready Serde per record type that crosses Kafka (topics and store changelogs). Serdes are thread-safe and shareable. */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    public static AvroSerde<StopCommand> stopCommand() {
        return new AvroSerde<>(StopCommand.class);
    }

    public static AvroSerde<JobState> jobState() {
        return new AvroSerde<>(JobState.class);
    }

    public static AvroSerde<JobStatusReport> jobStatusReport() {
        return new AvroSerde<>(JobStatusReport.class);
    }

    public static AvroSerde<AccountSettings> accountSettings() {
        return new AvroSerde<>(AccountSettings.class);
    }

    public static AvroSerde<AccountPolicies> accountPolicies() {
        return new AvroSerde<>(AccountPolicies.class);
    }

    public static AvroSerde<StopDirective> stopDirective() {
        return new AvroSerde<>(StopDirective.class);
    }

    public static AvroSerde<StopResult> stopResult() {
        return new AvroSerde<>(StopResult.class);
    }

    public static AvroSerde<AuditRecord> auditRecord() {
        return new AvroSerde<>(AuditRecord.class);
    }

    public static AvroSerde<JobEvent> jobEvent() {
        return new AvroSerde<>(JobEvent.class);
    }

    public static AvroSerde<JobObservation> jobObservation() {
        return new AvroSerde<>(JobObservation.class);
    }

    public static AvroSerde<PendingStopEntry> pendingStopEntry() {
        return new AvroSerde<>(PendingStopEntry.class);
    }

    public static AvroSerde<CommandLedgerEntry> commandLedgerEntry() {
        return new AvroSerde<>(CommandLedgerEntry.class);
    }
}
