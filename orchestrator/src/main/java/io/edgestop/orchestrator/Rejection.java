package io.edgestop.orchestrator;

/** A decision not to act: Alibaba error code, HTTP status and message. */
public record Rejection(String code, int httpStatus, String message) {

    public static final String MISSING_PARAMETER = "MissingParameter";
    public static final String SIGNATURE_NONCE_USED = "SignatureNonceUsed";
    public static final String THROTTLING_USER = "Throttling.User";
    public static final String JOB_NOT_FOUND = "JobNotFound";
    public static final String OPERATION_DENIED = "OperationDenied";
    public static final String FORBIDDEN = "Forbidden";
    public static final String INVALID_PARAMETER = "InvalidParameter";
    /** The job's edge cluster cannot be sent a directive now (see docs/reliability.md); nothing was sent, safe to retry. */
    public static final String EDGE_CLUSTER_UNAVAILABLE = "ServiceUnavailable.EdgeCluster";

    public static Rejection missingParameter(String name) {
        return new Rejection(MISSING_PARAMETER, 400,
                "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }

    public static Rejection nonceUsed() {
        return new Rejection(SIGNATURE_NONCE_USED, 400, "Specified signature nonce was used already.");
    }

    public static Rejection throttled() {
        return new Rejection(THROTTLING_USER, 429, "Request was denied due to user flow control.");
    }

    public static Rejection jobNotFound() {
        return new Rejection(JOB_NOT_FOUND, 404, "The specified job does not exist.");
    }

    public static Rejection featureDisabled() {
        return new Rejection(OPERATION_DENIED, 403, "Your account does not have the edge transcoding feature enabled.");
    }

    public static Rejection forbidden() {
        return new Rejection(FORBIDDEN, 403, "User not authorized to operate on the specified resource.");
    }

    public static Rejection notRunning(String jobId, String status) {
        return new Rejection(OPERATION_DENIED, 403,
                "The job " + jobId + " is not running (status " + status + "), so it cannot be stopped.");
    }

    public static Rejection tooLong(String name, int maxChars) {
        return new Rejection(INVALID_PARAMETER, 400,
                "The parameter \"" + name + "\" is longer than " + maxChars + " characters.");
    }

    public static Rejection edgeClusterUnavailable(String clusterId) {
        return new Rejection(EDGE_CLUSTER_UNAVAILABLE, 503,
                "The edge cluster " + clusterId + " cannot be reached now; the job was not stopped. Retry later.");
    }
}
