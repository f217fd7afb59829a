package io.edgestop.orchestrator.topology;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.StopCommand;

/**
 * What reaches the decider's task (keyed by accountId): a stop command, with the async producer
 * whose topic it came from (null: the adapter's stop-commands) and the account's
 * settings and policies as of its timestamp, or a job event. Both pass the versioned table joins
 * (job events ignore what they find), which makes Kafka Streams keep the job-events repartition
 * topic co-partitioned with the commands.
 */
sealed interface DeciderInput {

    record Command(StopCommand command, String producer, AccountSettings settings, AccountPolicies policies)
            implements DeciderInput {
    }

    record Job(JobEvent event) implements DeciderInput {
    }

    static DeciderInput withSettings(DeciderInput in, AccountSettings settings) {
        return in instanceof Command c ? new Command(c.command(), c.producer(), settings, null) : in;
    }

    static DeciderInput withPolicies(DeciderInput in, AccountPolicies policies) {
        return in instanceof Command c ? new Command(c.command(), c.producer(), c.settings(), policies) : in;
    }
}
