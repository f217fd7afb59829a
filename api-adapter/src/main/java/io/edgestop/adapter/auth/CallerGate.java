package io.edgestop.adapter.auth;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.api.ApiError;
import io.edgestop.ops.NonceCache;

/**
 * What a verified caller passes before any work is done for it: its AccessKeyId's rate
 * ({@link AccessKeyRateLimit}, Throttling.User) and its nonce on this instance ({@link NonceCache}:
 * SignatureNonceUsed, or ServiceUnavailable while the cache is full, never an unprotected accept).
 * The deployment-wide nonce check is the orchestrator's, for the stop and the reads alike.
 */
public final class CallerGate {

    private final AccessKeyRateLimit rate;
    private final NonceCache nonces;

    public CallerGate(AccessKeyRateLimit rate, NonceCache nonces) {
        this.rate = rate;
        this.nonces = nonces;
    }

    public void admit(Authenticator.Verified caller, long nowMillis) throws ApiException {
        String accessKeyId = caller.credential().accessKeyId();
        if (!rate.tryAcquire(accessKeyId, nowMillis)) {
            throw new ApiException(ApiError.THROTTLING_USER);
        }
        switch (nonces.use(accessKeyId, caller.nonce(), caller.requestTime().toEpochMilli(), nowMillis)) {
            case REPLAY -> throw ApiException.nonceUsed();
            case FULL -> throw ApiException.serviceUnavailable(
                    "This endpoint remembers too many recent signature nonces to accept another now; retry later.");
            case FIRST -> { }
        }
    }
}
