package io.edgestop.schema.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.CommandLedgerEntry;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.PendingStopEntry;
import io.edgestop.schema.PendingStopJoiner;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;

/**
 * Avro 1.12 only instantiates classes it trusts when reading. This adds exactly our generated
 * classes to the process-wide list, keeping Avro's defaults for everything else.
 */
final class TrustedClasses {

    private static boolean registered;

    private TrustedClasses() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        ClassSecurityPredicate ours = ClassSecurityValidator.builder()
                .add(StopCommand.class).add(JobState.class).add(JobStatus.class).add(JobStatusReport.class)
                .add(AccountSettings.class).add(AccountPolicies.class).add(RamPolicy.class)
                .add(StopDirective.class).add(StopResult.class).add(Outcome.class)
                .add(AuditRecord.class).add(AuditEventType.class)
                .add(JobEvent.class).add(JobEventType.class).add(JobObservation.class)
                .add(PendingStopEntry.class).add(PendingStopJoiner.class).add(CommandLedgerEntry.class)
                .build();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
        registered = true;
    }
}
