package io.edgestop.adapter.http;

/** An Alibaba-style error answer: HTTP status, Code and Message. */
public final class ApiException extends Exception {

    private final String code;
    private final int status;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public static ApiException missingParameter(String name) {
        return new ApiException(400, "MissingParameter",
                "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }

    public static ApiException invalidParameter(String message) {
        return new ApiException(400, "InvalidParameter", message);
    }

    public static ApiException incompleteSignature(String detail) {
        return new ApiException(400, "IncompleteSignature",
                "The request signature does not conform to Aliyun standards. " + detail);
    }

    public static ApiException signatureDoesNotMatch(String serverStringToSign) {
        return new ApiException(400, "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:" + serverStringToSign);
    }

    public static ApiException accessKeyNotFound() {
        return new ApiException(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }

    public static ApiException timestampExpired() {
        return new ApiException(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    }

    public static ApiException timestampFormat(String name) {
        return new ApiException(400, "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted: " + name + " must be UTC ISO-8601, e.g. 2026-01-02T03:04:05Z.");
    }

    public static ApiException nonceUsed() {
        return new ApiException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }

    public static ApiException serviceUnavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message);
    }
}
