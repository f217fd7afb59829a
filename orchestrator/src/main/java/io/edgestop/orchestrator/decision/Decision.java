package io.edgestop.orchestrator.decision;

import io.edgestop.schema.StopDirective;

/**
 * What was decided for one command, with what its audit record tells of the rules it passed: the fullest quota
 * window including the command and the limit (step 2; the count null also for a call too late to check), the
 * revision of the job state it was decided on (3) and the policy verdict (5), each null when the command did
 * not reach that step. The decider makes one per command and writes it out in one place.
 */
public sealed interface Decision {

    Integer quotaCount();

    Integer quotaLimit();

    Long jobStateRevision();

    String policyVerdict();

    /** Rejected by the first rule the command failed. */
    record Rejected(Rejection rejection, Integer quotaCount, Integer quotaLimit, Long jobStateRevision, String policyVerdict)
            implements Decision {

        /** Rejected before step 2, with no rule's findings to tell. */
        public Rejected(Rejection rejection) {
            this(rejection, null, null, null, null);
        }
    }

    /** Accepted as a join of the stop already in flight for the job (6b): its request, its current directive and attempt. */
    record Joined(String joinedRequestId, String directiveId, int attempt, Integer quotaCount, Integer quotaLimit,
                  Long jobStateRevision, String policyVerdict) implements Decision {
    }

    /** Accepted (7): a new stop, and its first directive, for the job under {@code jobKey}. */
    record Accepted(String jobKey, StopDirective directive, Integer quotaCount, Integer quotaLimit, Long jobStateRevision,
                    String policyVerdict) implements Decision {
    }
}
