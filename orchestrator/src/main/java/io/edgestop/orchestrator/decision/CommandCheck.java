package io.edgestop.orchestrator.decision;

import io.edgestop.schema.StopCommand;

/** Step 1: a command must name ClusterId, JobId, its account and its request id. */
public final class CommandCheck {

    private CommandCheck() {
    }

    /** The first missing parameter (ClusterId, JobId, AccountId, RequestId), or null when complete. */
    public static String firstMissing(StopCommand c) {
        if (blank(c.getClusterId())) {
            return "ClusterId";
        }
        if (blank(c.getJobId())) {
            return "JobId";
        }
        if (blank(c.getAccountId())) {
            return "AccountId";
        }
        if (blank(c.getRequestId())) {
            return "RequestId";
        }
        return null;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
