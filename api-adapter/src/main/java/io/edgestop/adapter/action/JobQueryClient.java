package io.edgestop.adapter.action;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.api.ApiError;
import io.edgestop.ops.QueryToken;

/**
 * Asks the orchestrators' job query endpoints ({@code query.urls}) for GetEdgeTranscodeJob and
 * ListEdgeTranscodeJob. Any instance answers (it routes the account to its owner), so the calls are
 * spread over the URLs in turn, and one that cannot be reached is skipped for the next. An answer
 * other than 200 is the orchestrator's Alibaba error ({@code Code}, {@code Message}), passed on; but a
 * 401 (the orchestrator refused the shared {@link QueryToken}) is this side's misconfiguration, not the
 * caller's: logged, and answered InternalError.
 */
public final class JobQueryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(JobQueryClient.class);

    private final List<URI> endpoints;
    private final Duration timeout;
    private final QueryToken token;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();

    /** {@code token} may be null only when {@code baseUrls} is empty (job queries off). */
    public JobQueryClient(List<URI> baseUrls, Duration timeout, QueryToken token) {
        this.endpoints = baseUrls.stream().map(u -> u.resolve("/jobs")).toList();
        this.timeout = timeout;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The orchestrator's 200 body for the query, or a failure with the {@link ApiException} to answer. */
    CompletableFuture<JsonNode> query(Map<String, Object> query) {
        if (endpoints.isEmpty()) {
            return CompletableFuture.failedFuture(ApiException.serviceUnavailable(
                    "Job queries are not configured on this endpoint (query.urls)."));
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(query);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        int first = Math.floorMod(next.getAndIncrement(), endpoints.size());
        return attempt(body, first, 0);
    }

    private CompletableFuture<JsonNode> attempt(byte[] body, int first, int tried) {
        URI endpoint = endpoints.get((first + tried) % endpoints.size());
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", token.authorization("POST", endpoint.getRawPath(), body)) // per request: the token stays here
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((r, err) -> {
                    if (err != null) {
                        return tried + 1 < endpoints.size() ? attempt(body, first, tried + 1)
                                : CompletableFuture.<JsonNode>failedFuture(ApiException.serviceUnavailable(
                                        "No orchestrator answered the job query; retry later."));
                    }
                    return CompletableFuture.completedFuture(parse(endpoint, r));
                })
                .thenCompose(f -> f);
    }

    private static JsonNode parse(URI endpoint, HttpResponse<byte[]> r) {
        if (r.statusCode() == 401) {
            log.error("the job query endpoint {} refused this adapter's {}: it differs from the orchestrators'", endpoint,
                    QueryToken.SETTING);
            throw new CompletionException(new ApiException(ApiError.INTERNAL_ERROR));
        }
        JsonNode node;
        try {
            node = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CompletionException(new ApiException(ApiError.INTERNAL_ERROR));
        }
        if (r.statusCode() == 200) {
            return node;
        }
        String code = node.path("Code").asText(ApiError.INTERNAL_ERROR.code());
        int status = r.statusCode() >= 400 && r.statusCode() <= 599 ? r.statusCode() : 500;
        JsonNode retryAfter = node.path("RetryAfterMs");
        throw new CompletionException(new ApiException(status, code, node.path("Message").asText(code),
                retryAfter.canConvertToLong() ? retryAfter.asLong() : null));
    }
}
