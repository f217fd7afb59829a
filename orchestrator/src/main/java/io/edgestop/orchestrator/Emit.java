package io.edgestop.orchestrator;

import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobState;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;

/** What the orchestrator's processors hand downstream: an output record, or a command going on to the job step. */
sealed interface Emit {

    record Result(StopResult value) implements Emit {
    }

    record Audit(AuditRecord value) implements Emit {
    }

    record Directive(StopDirective value) implements Emit {
    }

    record JobStateUpdate(JobState value) implements Emit {
    }

    /** A command that passed the account-level steps, on its way to the job-level steps. */
    record Checked(CheckedCommand value) implements Emit {
    }
}
