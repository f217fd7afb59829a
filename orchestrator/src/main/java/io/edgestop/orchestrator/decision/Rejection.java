package io.edgestop.orchestrator.decision;

import io.edgestop.api.ApiError;

/**
 * A decision not to act: Alibaba error code, HTTP status and message (the catalog is {@link ApiError}),
 * and for one worth retrying the milliseconds after the command's time from which a retry can succeed.
 */
public record Rejection(String code, int httpStatus, String message, Long retryAfterMs) {

    static Rejection of(ApiError error, Object... details) {
        return new Rejection(error.code(), error.httpStatus(), error.message(details), error.fixedRetryAfterMs());
    }

    public static Rejection missingParameter(String name) {
        return of(ApiError.MISSING_PARAMETER, name);
    }

    public static Rejection nonceUsed() {
        return of(ApiError.SIGNATURE_NONCE_USED);
    }

    /** {@code retryAfterMs} from the quota state: when the account's window frees a slot (null: unknown). */
    public static Rejection throttled(Long retryAfterMs) {
        ApiError e = ApiError.THROTTLING_USER;
        return new Rejection(e.code(), e.httpStatus(), e.message(), retryAfterMs);
    }

    public static Rejection jobNotFound() {
        return of(ApiError.JOB_NOT_FOUND);
    }

    /** An async producer named an account or a principal the account's settings do not let it act as. */
    public static Rejection asyncProducerForbidden(String producer, String principal, String accountId) {
        return of(ApiError.FORBIDDEN_ASYNC_PRODUCER, producer, principal == null ? "no principal" : principal, accountId);
    }

    public static Rejection featureDisabled() {
        return of(ApiError.OPERATION_DENIED, "Your account does not have the edge transcoding feature enabled.");
    }

    public static Rejection forbidden() {
        return of(ApiError.FORBIDDEN);
    }

    public static Rejection notRunning(String jobId, String status) {
        return of(ApiError.OPERATION_DENIED,
                "The job " + jobId + " is not running (status " + status + "), so it cannot be stopped.");
    }

    public static Rejection tooLong(String name, int maxChars) {
        return of(ApiError.INVALID_PARAMETER, "The parameter \"" + name + "\" is longer than " + maxChars + " characters.");
    }

    /** The job's edge cluster cannot be sent a directive now (see docs/reliability.md); nothing was sent, safe to retry. */
    public static Rejection edgeClusterUnavailable(String clusterId) {
        return of(ApiError.EDGE_CLUSTER_UNAVAILABLE, clusterId);
    }
}
