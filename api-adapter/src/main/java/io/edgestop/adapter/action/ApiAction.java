package io.edgestop.adapter.action;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;

/**
 * One RPC action of the API. The shared pipeline ({@link io.edgestop.adapter.http.ApiHandler}) parses
 * the request, resolves the action and version, verifies the signature and timestamp, asks the action
 * to {@link #validate} its own parameters, checks the nonce, then {@link #call}s it and writes the
 * answer in JSON or XML. An action only knows its parameters and where its answer comes from.
 */
public interface ApiAction {

    /** The {@code Action} value, e.g. StopEdgeTranscodeJob. */
    String name();

    /** Checks the action's own parameters: answered at once, before the nonce is spent. */
    void validate(Params params) throws ApiException;

    /**
     * Performs a verified call. The future completes with the answer's fields after {@code RequestId}
     * (in order), or fails with an {@link ApiException} (any other failure answers InternalError).
     */
    CompletableFuture<Map<String, Object>> call(ApiCall call);
}
