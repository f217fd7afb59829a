package io.edgestop.orchestrator.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.edgestop.api.ApiError;
import io.edgestop.api.query.GetJobQuery;
import io.edgestop.api.query.JobPage;
import io.edgestop.api.query.JobQuery;
import io.edgestop.api.query.JobQueryJson;
import io.edgestop.api.query.JobView;
import io.edgestop.api.query.ListJobsQuery;
import io.edgestop.api.query.QueryError;
import io.edgestop.ops.JdkHttpServers;
import io.edgestop.ops.QueryToken;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.runtime.QuerySettings;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.JobStateStore;

/**
 * The orchestrator's query endpoint for GetEdgeTranscodeJob and ListEdgeTranscodeJob: {@code POST /jobs}
 * with a {@link JobQuery} (the caller the adapter verified and the parameters) in {@link JobQueryJson}'s
 * form. The endpoint admits only callers that hold the shared {@link QueryToken} ({@code Authorization}
 * credential of the shared token per request, see {@code QueryToken}; else 401 with no body), so a principal
 * cannot be claimed by whoever reaches the port; it still belongs on the private network, like Kafka. It
 * finds the account's owner ({@link JobOwnerLocator}) and answers here when this instance runs the account's
 * active task, else forwards the query once to the instance that does ({@code application.server}), then to
 * its standbys when the active one cannot answer; while the partition has no owner (a rebalance) the answer
 * is 503 ServiceUnavailable. The answers come from {@link JobReadService}: 200 with a {@code JobView} or a
 * {@code JobPage}, else a {@link QueryError} with the catalog's HTTP status.
 */
public final class JobQueryServer implements AutoCloseable {

    static final String PATH = JobQueryJson.PATH;
    /** Set on a forwarded query: the receiver answers from its own state, never forwards again. */
    static final String FORWARDED = "x-edgestop-forwarded";
    private static final int MAX_BODY = 64 * 1024;
    /** The metrics' code of a query without the shared token (no Alibaba code: no Alibaba caller sees it). */
    static final String UNAUTHORIZED = "Unauthorized";
    private static final Logger log = LoggerFactory.getLogger(JobQueryServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final HostInfo self;
    private final JobOwners owners;
    private final OrchestratorMetrics metrics;
    private final int quotaPerMinute;
    private final long nonceWindowMs;
    private final Duration forwardTimeout;
    private final QueryToken token;
    private final HttpClient http;
    private volatile JobOwnerLocator locator;
    private volatile JobReadService reads;

    /**
     * A query's answer: HTTP status, body ({@code JobView}, {@code JobPage} or {@link QueryError}), and how it
     * was served (see {@link OrchestratorMetrics#jobQuery}).
     */
    record Answer(int status, Object body, String servedBy) {
        Answer(int status, Object body) {
            this(status, body, "none");
        }

        static Answer error(ApiError error, Object... details) {
            return new Answer(error.httpStatus(), QueryError.of(error, error.fixedRetryAfterMs(), details));
        }

        Answer servedBy(String how) {
            return new Answer(status, body, how);
        }

        String code() {
            return body instanceof QueryError e ? e.code() : OrchestratorMetrics.SUCCESS;
        }
    }

    private JobQueryServer(HttpServer server, HostInfo self, QuerySettings settings, JobOwners owners,
                           OrchestratorMetrics metrics) {
        this.server = server;
        this.self = self;
        this.owners = owners;
        this.metrics = metrics;
        this.quotaPerMinute = settings.quotaPerMinute();
        this.nonceWindowMs = settings.nonceWindowMs();
        this.forwardTimeout = settings.forwardTimeout();
        this.token = settings.token();
        this.http = HttpClient.newBuilder().connectTimeout(forwardTimeout).build();
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "edgestop-query-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(PATH, this::handle);
    }

    /** Binds {@code query.host:query.port} (not serving yet): Kafka Streams must be told the address first. */
    public static JobQueryServer bind(QuerySettings settings, JobOwners owners, OrchestratorMetrics metrics) throws IOException {
        HttpServer server = JdkHttpServers.bind(settings.host(), settings.port());
        return new JobQueryServer(server, new HostInfo(advertisedHost(settings), server.getAddress().getPort()), settings,
                owners, metrics);
    }

    private static String advertisedHost(QuerySettings settings) throws UnknownHostException {
        String advertised = settings.advertisedHost();
        if (!advertised.isEmpty()) {
            return advertised;
        }
        String host = settings.host();
        return host.equals("0.0.0.0") || host.equals("::") ? InetAddress.getLocalHost().getHostName() : host;
    }

    /** This instance's {@code application.server}. */
    public HostInfo self() {
        return self;
    }

    /** Starts answering, from this client's state. */
    public void serve(KafkaStreams streams, JobStateStore jobStates) {
        this.locator = new JobOwnerLocator(streams);
        this.reads = new JobReadService(new JobQueries(streams, jobStates), owners, quotaPerMinute, nonceWindowMs);
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            // the credential signs this request's body: read (bounded) before it is checked
            if (!token.admits(ex.getRequestHeaders().getFirst("Authorization"), "POST", PATH, body)) {
                metrics.jobQuery("unknown", UNAUTHORIZED, "none");
                ex.getResponseHeaders().set("WWW-Authenticate", "EdgeStop-HMAC-SHA256");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            Answer answer;
            if (body.length > MAX_BODY) {
                answer = Answer.error(ApiError.ENTITY_TOO_LARGE, MAX_BODY);
            } else if (!JobQueryJson.isMediaType(contentType)) {
                // only an adapter holds the token: this is one of another release, met during a rolling upgrade
                // (docs/operations.md); refused, never misread, and retryable once the upgrade is through
                log.warn("a job query in {}, not {}: an adapter of another release?", contentType, JobQueryJson.MEDIA_TYPE);
                answer = Answer.error(ApiError.SERVICE_UNAVAILABLE,
                        "The query's Content-Type must be " + JobQueryJson.MEDIA_TYPE + ", not " + contentType + "; retry later.");
            } else {
                answer = answerSafely(body, ex.getRequestHeaders().getFirst(FORWARDED) != null);
            }
            byte[] out = JobQueryJson.write(answer.body());
            ex.getResponseHeaders().set("Content-Type", JobQueryJson.MEDIA_TYPE);
            ex.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private Answer answerSafely(byte[] body, boolean forwarded) {
        String action = "unknown";
        Answer answer;
        try {
            JobQuery query = JobQueryJson.read(body, JobQuery.class);
            action = query.action();
            answer = route(query, body, forwarded);
        } catch (InvalidTypeIdException e) {
            answer = Answer.error(ApiError.INVALID_ACTION);
        } catch (JobQueries.Unavailable e) {
            answer = Answer.error(ApiError.SERVICE_UNAVAILABLE, e.getMessage() + "; retry later.");
        } catch (IOException | IllegalArgumentException e) {
            answer = Answer.error(ApiError.INVALID_PARAMETER, "The query is not valid: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("job query failed", e);
            answer = Answer.error(ApiError.INTERNAL_ERROR);
        }
        metrics.jobQuery(action, answer.code(), answer.servedBy());
        return answer;
    }

    /** Answers here when this instance owns the account (or was forwarded to), else forwards. */
    private Answer route(JobQuery query, byte[] body, boolean forwarded) {
        JobOwnerLocator.Placement placement = locator.locate(query.caller().accountId());
        if (self.equals(placement.active())) {
            return answerHere(query, placement.partition(), true).servedBy("owner");
        }
        if (forwarded) {
            // sent here as the owner or its standby by an instance that saw other metadata: what this one holds answers
            return answerHere(query, placement.partition(), false).servedBy("standby");
        }
        Answer last = null;
        for (HostInfo host : placement.holders()) {
            if (host.equals(self)) {
                try {
                    return answerHere(query, placement.partition(), false).servedBy("standby");
                } catch (JobQueries.Unavailable e) {
                    continue;
                }
            }
            last = forward(host, query, body);
            if (last != null && last.status() != 503) {
                return last.servedBy("forwarded");
            }
        }
        if (last != null) {
            return last;
        }
        throw new JobQueries.Unavailable("no instance holding the account's state answered");
    }

    /** The answer from the account's partition on this instance: its active task, or a standby's copy. */
    private Answer answerHere(JobQuery query, int partition, boolean active) {
        try {
            return new Answer(200, query instanceof GetJobQuery get ? reads.get(get, partition, active)
                    : reads.list((ListJobsQuery) query, partition, active));
        } catch (JobReadService.Refused e) {
            return new Answer(e.error().httpStatus(), e.answer());
        }
    }

    /** The same query, as received (its token credential signs these bytes), answered by {@code host}; null when it did not answer. */
    private Answer forward(HostInfo host, JobQuery query, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort(host) + PATH))
                .timeout(forwardTimeout)
                .header("Content-Type", JobQueryJson.MEDIA_TYPE)
                .header("Authorization", token.authorization("POST", PATH, body))
                .header(FORWARDED, self.host() + ":" + self.port())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 401) {
                log.warn("{} refused the forwarded job query's token: the instances' {} differ", host, QueryToken.SETTING);
                return null;
            }
            if (!JobQueryJson.isMediaType(r.headers().firstValue("Content-Type").orElse(null))) {
                // an instance of another release, met during a rolling upgrade: its answer is not misread
                log.warn("{} answered the forwarded job query in {}, not {}: is it of another release?", host,
                        r.headers().firstValue("Content-Type").orElse(null), JobQueryJson.MEDIA_TYPE);
                return null;
            }
            Class<?> type = r.statusCode() != 200 ? QueryError.class : query instanceof GetJobQuery ? JobView.class : JobPage.class;
            return new Answer(r.statusCode(), JobQueryJson.read(r.body(), type));
        } catch (IOException e) {
            log.debug("query forward to {} failed: {}", host, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String hostPort(HostInfo h) {
        return (h.host().indexOf(':') >= 0 ? "[" + h.host() + "]" : h.host()) + ":" + h.port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
