package io.edgestop.api.query;

import io.edgestop.api.ApiError;

/**
 * A query refused or not answered: the catalog's code and message (the HTTP status is the catalog's too)
 * and, when known, how long to wait before retrying (the adapter's {@code x-acs-retry-after}).
 */
public record QueryError(String code, String message, Long retryAfterMs) {

    public static QueryError of(ApiError error, Long retryAfterMs, Object... details) {
        return new QueryError(error.code(), error.message(details), retryAfterMs);
    }
}
