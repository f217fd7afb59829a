package io.edgestop.adapter.request;

import io.edgestop.api.ApiError;

/**
 * An Alibaba-style error answer: HTTP status, Code and Message (the catalog is {@link ApiError}), and
 * for an answer worth retrying later the delay after which a retry can succeed ({@code x-acs-retry-after}).
 */
public final class ApiException extends Exception {

    private final String code;
    private final int status;
    private final Long retryAfterMs;

    /** An answer the orchestrator decided, passed on as it is. */
    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** An answer the orchestrator decided, with the delay in milliseconds after which a retry can succeed (or null). */
    public ApiException(int status, String code, String message, Long retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }

    public ApiException(ApiError error, Object... details) {
        this(error.httpStatus(), error.code(), error.message(details), error.fixedRetryAfterMs());
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Milliseconds after which a retry can succeed, or null when the answer says nothing about it. */
    public Long retryAfterMs() {
        return retryAfterMs;
    }

    public static ApiException missingParameter(String name) {
        return new ApiException(ApiError.MISSING_PARAMETER, name);
    }

    public static ApiException invalidParameter(String message) {
        return new ApiException(ApiError.INVALID_PARAMETER, message);
    }

    public static ApiException incompleteSignature(String detail) {
        return new ApiException(ApiError.INCOMPLETE_SIGNATURE, detail);
    }

    public static ApiException signatureDoesNotMatch(String serverStringToSign) {
        return new ApiException(ApiError.SIGNATURE_DOES_NOT_MATCH, serverStringToSign);
    }

    public static ApiException accessKeyNotFound() {
        return new ApiException(ApiError.ACCESS_KEY_NOT_FOUND);
    }

    public static ApiException timestampExpired() {
        return new ApiException(ApiError.TIMESTAMP_EXPIRED);
    }

    public static ApiException timestampFormat(String name) {
        return new ApiException(ApiError.TIMESTAMP_FORMAT, name);
    }

    public static ApiException nonceUsed() {
        return new ApiException(ApiError.SIGNATURE_NONCE_USED);
    }

    public static ApiException serviceUnavailable(String message) {
        return new ApiException(ApiError.SERVICE_UNAVAILABLE, message);
    }
}
