package io.edgestop.api;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every Alibaba-style error edge-stop answers, in one place: code, HTTP status, message and
 * recommendation. The adapter answers the ones it finds itself (protocol, signature, timestamp) and
 * passes on the ones the orchestrator decided (carried in {@code StopResult.code}); asynchronous
 * callers read the same codes on {@code stop-results}. A message template takes the details of the
 * case ({@code %s}); the codes and statuses are Alibaba's where Alibaba has the case.
 */
public enum ApiError {

    MISSING_PARAMETER("MissingParameter", 400,
            "The input parameter \"%s\" that is mandatory for processing this request is not supplied.",
            "Supply every required parameter of the action."),
    INVALID_PARAMETER("InvalidParameter", 400, "%s", "Correct the parameter named in Message."),
    INVALID_ACTION("InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method.",
            "Check Action (StopEdgeTranscodeJob, GetEdgeTranscodeJob or ListEdgeTranscodeJob) and that the request goes to the path /."),
    INVALID_VERSION("InvalidVersion", 400, "Specified parameter Version is not valid: %s",
            "Use Version 2016-11-01."),
    UNSUPPORTED_HTTP_METHOD("UnsupportedHTTPMethod", 405, "The HTTP method %s is not supported; use GET or POST.",
            "Send the request with GET or POST."),
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415,
            "The request body must be application/x-www-form-urlencoded (UTF-8); got %s.",
            "Send parameters in the query string or as a form body."),
    ENTITY_TOO_LARGE("EntityTooLarge", 413, "The request body is larger than %s bytes.",
            "Send a smaller request; parameters are short strings."),
    REQUEST_TIMEOUT("RequestTimeout", 408, "%s", "Send the whole request promptly; retry with a new nonce."),
    REQUEST_HEADER_TOO_LARGE("RequestHeaderTooLarge", 431, "%s",
            "Send a shorter URL or fewer headers; long parameters belong in a form body."),
    BAD_REQUEST("BadRequest", 400, "%s", "The request is not valid HTTP; check the client."),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, "The request signature does not conform to Aliyun standards. %s",
            "Check the AccessKeySecret and compare your string to sign with the server's one in Message."),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 400,
            "Specified signature is not matched with our calculation. server string to sign is:%s",
            "Check the AccessKeySecret and compare your string to sign with the server's one in Message."),
    ACCESS_KEY_NOT_FOUND("InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.",
            "Check the AccessKeyId; it must belong to an account or RAM user of this deployment."),
    TIMESTAMP_EXPIRED("InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired.",
            "Sync the client clock (UTC); requests are valid for 15 minutes."),
    TIMESTAMP_FORMAT("InvalidTimeStamp.Format", 400,
            "Specified time stamp or date value is not well formatted: %s must be UTC ISO-8601, e.g. 2026-01-02T03:04:05Z.",
            "Send Timestamp as UTC ISO-8601, e.g. 2026-01-02T03:04:05Z."),
    SIGNATURE_NONCE_USED("SignatureNonceUsed", 400, "Specified signature nonce was used already.",
            "Use a new SignatureNonce for every request."),
    THROTTLING_USER("Throttling.User", 429, "Request was denied due to user flow control.",
            "Slow down: the account's quota for this action is exhausted for this minute (each action has its own)."),
    FORBIDDEN("Forbidden", 403, "User not authorized to operate on the specified resource.",
            "Grant the caller the action (live:StopEdgeTranscodeJob, live:GetEdgeTranscodeJob, live:ListEdgeTranscodeJob) on the job's domain in a RAM policy."),
    FORBIDDEN_ASYNC_PRODUCER("Forbidden.AsyncProducer", 403,
            "The async producer %s may not act as %s for account %s.",
            "List the producer and the RAM principal it acts as in the account's settings (asyncProducers)."),
    OPERATION_DENIED("OperationDenied", 403, "%s",
            "Check that the account has edge transcoding enabled and that the job is running."),
    JOB_NOT_FOUND("JobNotFound", 404, "The specified job does not exist.",
            "Check ClusterId and JobId; the job must belong to the caller's account."),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "%s",
            "Retry the same request with a new nonce; a stop in flight is joined, never repeated."),
    EDGE_CLUSTER_UNAVAILABLE("ServiceUnavailable.EdgeCluster", 503,
            "The edge cluster %s cannot be reached now; the job was not stopped. Retry later.",
            "The job's edge cluster cannot be sent the stop now and nothing was sent; retry later with a new nonce."),
    STOP_TIMED_OUT("StopTimedOut", 504, "%s",
            "The edge workers did not confirm the stop; check the job with GetEdgeTranscodeJob and stop it again if needed."),
    INTERNAL_ERROR("InternalError", 500, "The request processing has failed due to some unknown error.",
            "Retry later; report the RequestId if it persists.");

    private static final Map<String, ApiError> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ApiError::code, Function.identity()));
    private static final String DEFAULT_RECOMMENDATION = "See the error code list of StopEdgeTranscodeJob.";

    private final String code;
    private final int httpStatus;
    private final String template;
    private final String recommendation;

    ApiError(String code, int httpStatus, String template, String recommendation) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.template = template;
        this.recommendation = recommendation;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The message, with the case's details filled into the template. */
    public String message(Object... details) {
        return details.length == 0 ? template : String.format(template, details);
    }

    public String recommendation() {
        return recommendation;
    }

    /**
     * The retry hint ({@code x-acs-retry-after}, ms) of a 503 that is safe to retry and whose end nothing
     * in the state predicts: a fixed delay. Null for every other error (Throttling.User gets its hint from
     * the quota state, see QuotaLedger).
     */
    public Long fixedRetryAfterMs() {
        return switch (this) {
            case SERVICE_UNAVAILABLE -> 1_000L;
            case EDGE_CLUSTER_UNAVAILABLE -> 5_000L;
            default -> null;
        };
    }

    /** The recommendation for a code, also for one this catalog does not know (a generic pointer). */
    public static String recommendationFor(String code) {
        ApiError e = code == null ? null : BY_CODE.get(code);
        return e == null ? DEFAULT_RECOMMENDATION : e.recommendation;
    }
}
