package io.edgestop.adapter.action;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.api.ApiError;
import io.edgestop.api.query.GetJobQuery;
import io.edgestop.api.query.JobPage;
import io.edgestop.api.query.JobQuery;
import io.edgestop.api.query.JobQueryJson;
import io.edgestop.api.query.JobView;
import io.edgestop.api.query.ListJobsQuery;
import io.edgestop.api.query.QueryError;
import io.edgestop.ops.QueryToken;

/**
 * Asks the orchestrators' job query endpoints ({@code query.urls}) for GetEdgeTranscodeJob and
 * ListEdgeTranscodeJob, in {@link JobQueryJson}'s form. Any instance answers (it routes the account to its
 * owner), so the calls are spread over the URLs in turn, and one that cannot be reached is skipped for the
 * next. An answer other than 200 is the orchestrator's {@link QueryError}, passed on; but a 401 (the
 * orchestrator refused the shared {@link QueryToken}) is this side's misconfiguration, not the caller's:
 * logged, and answered InternalError. An answer in another media type comes from an orchestrator of another
 * release during a rolling upgrade (docs/operations.md): answered ServiceUnavailable, which SDKs retry.
 */
public final class JobQueryClient {

    private static final Logger log = LoggerFactory.getLogger(JobQueryClient.class);

    private final List<URI> endpoints;
    private final Duration timeout;
    private final QueryToken token;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();

    /** {@code token} may be null only when {@code baseUrls} is empty (job queries off). */
    public JobQueryClient(List<URI> baseUrls, Duration timeout, QueryToken token) {
        this.endpoints = baseUrls.stream().map(u -> u.resolve(JobQueryJson.PATH)).toList();
        this.timeout = timeout;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The job, or a failure with the {@link ApiException} to answer. */
    CompletableFuture<JobView> get(GetJobQuery query) {
        return query(query, JobView.class);
    }

    /** The page of jobs, or a failure with the {@link ApiException} to answer. */
    CompletableFuture<JobPage> list(ListJobsQuery query) {
        return query(query, JobPage.class);
    }

    private <T> CompletableFuture<T> query(JobQuery query, Class<T> answer) {
        if (endpoints.isEmpty()) {
            return CompletableFuture.failedFuture(ApiException.serviceUnavailable(
                    "Job queries are not configured on this endpoint (query.urls)."));
        }
        int first = Math.floorMod(next.getAndIncrement(), endpoints.size());
        return attempt(JobQueryJson.write(query), answer, first, 0);
    }

    private <T> CompletableFuture<T> attempt(byte[] body, Class<T> answer, int first, int tried) {
        URI endpoint = endpoints.get((first + tried) % endpoints.size());
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", JobQueryJson.MEDIA_TYPE)
                .header("Authorization", token.authorization("POST", endpoint.getRawPath(), body)) // per request: the token stays here
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((r, err) -> {
                    if (err != null) {
                        return tried + 1 < endpoints.size() ? attempt(body, answer, first, tried + 1)
                                : CompletableFuture.<T>failedFuture(ApiException.serviceUnavailable(
                                        "No orchestrator answered the job query; retry later."));
                    }
                    return CompletableFuture.completedFuture(parse(endpoint, r, answer));
                })
                .thenCompose(f -> f);
    }

    private static <T> T parse(URI endpoint, HttpResponse<byte[]> r, Class<T> answer) {
        if (r.statusCode() == 401) {
            log.error("the job query endpoint {} refused this adapter's {}: it differs from the orchestrators'", endpoint,
                    QueryToken.SETTING);
            throw new CompletionException(new ApiException(ApiError.INTERNAL_ERROR));
        }
        String contentType = r.headers().firstValue("Content-Type").orElse(null);
        if (!JobQueryJson.isMediaType(contentType)) {
            log.warn("the job query endpoint {} answered {} in {}, not {}: is it of another release?", endpoint, r.statusCode(),
                    contentType, JobQueryJson.MEDIA_TYPE);
            throw new CompletionException(ApiException.serviceUnavailable(
                    "An orchestrator of another release answered the job query; retry later."));
        }
        try {
            if (r.statusCode() == 200) {
                return JobQueryJson.read(r.body(), answer);
            }
            QueryError error = JobQueryJson.read(r.body(), QueryError.class);
            String code = error.code() == null ? ApiError.INTERNAL_ERROR.code() : error.code();
            int status = r.statusCode() >= 400 && r.statusCode() <= 599 ? r.statusCode() : 500;
            throw new CompletionException(new ApiException(status, code, error.message() == null ? code : error.message(),
                    error.retryAfterMs()));
        } catch (IOException e) {
            throw new CompletionException(new ApiException(ApiError.INTERNAL_ERROR));
        }
    }
}
