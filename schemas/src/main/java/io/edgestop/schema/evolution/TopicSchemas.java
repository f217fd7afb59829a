package io.edgestop.schema.evolution;

import java.util.List;

import org.apache.avro.Schema;

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

/**
 * The current schema of every record type written to a Kafka topic, store changelogs included (the
 * orchestrator's pending stops and command ledger): what the gate guards.
 */
public final class TopicSchemas {

    private TopicSchemas() {
    }

    public static List<Schema> current() {
        return List.of(
                StopCommand.getClassSchema(),
                JobState.getClassSchema(),
                JobStatusReport.getClassSchema(),
                AccountSettings.getClassSchema(),
                AccountPolicies.getClassSchema(),
                StopDirective.getClassSchema(),
                StopResult.getClassSchema(),
                AuditRecord.getClassSchema(),
                JobEvent.getClassSchema(),
                JobObservation.getClassSchema(),
                PendingStopEntry.getClassSchema(),
                CommandLedgerEntry.getClassSchema());
    }
}
