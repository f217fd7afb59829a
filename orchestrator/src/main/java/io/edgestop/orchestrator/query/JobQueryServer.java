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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.edgestop.api.Api;
import io.edgestop.api.ApiError;
import io.edgestop.ops.JdkHttpServers;
import io.edgestop.ops.NonceCache;
import io.edgestop.ops.QueryToken;
import io.edgestop.orchestrator.decision.policy.PolicyEvaluator;
import io.edgestop.orchestrator.decision.policy.RequestContext;
import io.edgestop.orchestrator.decision.quota.QuotaLedger;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.JobStateStore;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.topology.OrchestratorTopology;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.topics.JobKey;

/**
 * The orchestrator's query endpoint for GetEdgeTranscodeJob and ListEdgeTranscodeJob: {@code POST
 * /jobs} with the verified caller and the parameters as JSON (the adapter authenticates the Alibaba
 * caller). The endpoint admits only callers that hold the shared {@link QueryToken} ({@code
 * Authorization} credential of the shared token per request, see {@code QueryToken}; else 401 with no body), so a principal cannot be
 * claimed by whoever reaches the port; it still belongs on the private network, like Kafka. Answers
 * from the orchestrator's own state ({@link JobQueries}):
 * <ul>
 *   <li>the account's key is routed with {@link KafkaStreams#queryMetadataForKey}: answered here when
 *       this instance runs the account's active task, else forwarded once to the instance that does
 *       ({@code application.server}), then to its standbys when the active one cannot answer; while
 *       the partition has no owner (a rebalance) the answer is 503 ServiceUnavailable;</li>
 *   <li>then the checks of a stop, in its order, with the read's own RAM action and quota: signature nonce
 *       (SignatureNonceUsed, see {@link #readNonce}), quota
 *       (Throttling.User), job lookup (JobNotFound, also for another account's job), permission
 *       ({@link PolicyEvaluator}, the stop's evaluator, on the account's policies as of now: Forbidden).</li>
 * </ul>
 * Bodies: 200 {@code {"Job":{...}}} or {@code {"Jobs":[...],"TotalCount":n}} with Alibaba's field
 * names; errors {@code {"Code","Message"}} with the catalog's HTTP status.
 */
public final class JobQueryServer implements AutoCloseable {

    static final String PATH = "/jobs";
    /** Set on a forwarded query: the receiver answers from its own state, never forwards again. */
    static final String FORWARDED = "x-edgestop-forwarded";
    private static final int MAX_BODY = 64 * 1024;
    /** Read nonces this instance remembers (about 100 MB at most); full, reads are answered ServiceUnavailable. */
    static final int READ_NONCES_REMEMBERED = 1_000_000;
    /** The metrics' code of a query without the shared token (no Alibaba code: no Alibaba caller sees it). */
    static final String UNAUTHORIZED = "Unauthorized";
    /** The error body's retry hint in milliseconds. */
    static final String RETRY_AFTER_MS = "RetryAfterMs";
    /** ListEdgeTranscodeJob lists the jobs created or last started or stopped within this, as Alibaba's does. */
    static final Duration LIST_WINDOW = Duration.ofDays(180);
    private static final Logger log = LoggerFactory.getLogger(JobQueryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final HostInfo self;
    private final ReadQuota quota;
    private final NonceCache readNonces;
    private final JobOwners owners;
    private final OrchestratorMetrics metrics;
    private final Duration forwardTimeout;
    private final QueryToken token;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private volatile KafkaStreams streams;
    private volatile JobQueries queries;

    /** A query's answer: HTTP status, JSON body, and how it was served (see {@link OrchestratorMetrics#jobQuery}). */
    record Answer(int status, Object body, String servedBy) {
        Answer(int status, Object body) {
            this(status, body, "none");
        }

        static Answer error(ApiError error, Object... details) {
            return error(error, error.fixedRetryAfterMs(), details);
        }

        /** With {@code RetryAfterMs} (the adapter's {@code x-acs-retry-after}) when known. */
        static Answer error(ApiError error, Long retryAfterMs, Object... details) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Code", error.code());
            m.put("Message", error.message(details));
            if (retryAfterMs != null) {
                m.put(RETRY_AFTER_MS, retryAfterMs);
            }
            return new Answer(error.httpStatus(), m);
        }

        Answer servedBy(String how) {
            return new Answer(status, body, how);
        }

        String code() {
            return status == 200 ? OrchestratorMetrics.SUCCESS
                    : body instanceof Map<?, ?> m ? String.valueOf(m.get("Code")) : ((JsonNode) body).path("Code").asText();
        }
    }

    private JobQueryServer(HttpServer server, HostInfo self, OrchestratorConfig config, JobOwners owners,
                           OrchestratorMetrics metrics) {
        this.server = server;
        this.self = self;
        this.owners = owners;
        this.metrics = metrics;
        this.quota = new ReadQuota(config.queryQuotaPerMinute());
        this.readNonces = new NonceCache(config.nonceWindowMs(), READ_NONCES_REMEMBERED);
        this.forwardTimeout = Duration.ofMillis(config.queryForwardTimeoutMs());
        this.token = config.queryToken();
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
    public static JobQueryServer bind(OrchestratorConfig config, JobOwners owners, OrchestratorMetrics metrics) throws IOException {
        HttpServer server = JdkHttpServers.bind(config.queryHost(), config.queryPort());
        return new JobQueryServer(server, new HostInfo(advertisedHost(config), server.getAddress().getPort()), config, owners,
                metrics);
    }

    private static String advertisedHost(OrchestratorConfig config) throws UnknownHostException {
        String advertised = config.queryAdvertisedHost();
        if (!advertised.isEmpty()) {
            return advertised;
        }
        String host = config.queryHost();
        return host.equals("0.0.0.0") || host.equals("::") ? InetAddress.getLocalHost().getHostName() : host;
    }

    /** This instance's {@code application.server}. */
    public HostInfo self() {
        return self;
    }

    /** Starts answering, from this client's state. */
    public void serve(KafkaStreams streams, JobStateStore jobStates) {
        this.streams = streams;
        this.queries = new JobQueries(streams, jobStates);
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
            Answer answer;
            if (body.length > MAX_BODY) {
                answer = Answer.error(ApiError.ENTITY_TOO_LARGE, MAX_BODY);
            } else {
                answer = answerSafely(body, ex.getRequestHeaders().getFirst(FORWARDED) != null);
            }
            byte[] out = JSON.writeValueAsBytes(answer.body());
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
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
            JsonNode q = JSON.readTree(body);
            if (Api.GET_ACTION.equals(text(q, "action")) || Api.LIST_ACTION.equals(text(q, "action"))) {
                action = text(q, "action");
            }
            answer = route(q, body, forwarded);
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
    private Answer route(JsonNode q, byte[] body, boolean forwarded) {
        String accountId = required(q, "accountId");
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(OrchestratorTopology.POLICIES_STORE, accountId, Serdes.String().serializer());
        } catch (RuntimeException e) { // not running yet, or closing
            throw new JobQueries.Unavailable("the orchestrator is not running (" + streams.state() + ")");
        }
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) || owner.activeHost() == null) {
            throw new JobQueries.Unavailable("the account's partition is being reassigned (rebalance)");
        }
        if (self.equals(owner.activeHost())) {
            return answer(q, owner.partition(), true).servedBy("owner");
        }
        if (forwarded) {
            // sent here as the owner or its standby by an instance that saw other metadata: what this one holds answers
            return answer(q, owner.partition(), false).servedBy("standby");
        }
        List<HostInfo> candidates = new ArrayList<>();
        candidates.add(owner.activeHost());
        candidates.addAll(owner.standbyHosts());
        Answer last = null;
        for (HostInfo host : candidates) {
            if (host.equals(self)) {
                try {
                    return answer(q, owner.partition(), false).servedBy("standby");
                } catch (JobQueries.Unavailable e) {
                    continue;
                }
            }
            last = forward(host, body);
            if (last != null && last.status() != 503) {
                return last.servedBy("forwarded");
            }
        }
        if (last != null) {
            return last;
        }
        throw new JobQueries.Unavailable("no instance holding the account's state answered");
    }

    private Answer forward(HostInfo host, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort(host) + PATH))
                .timeout(forwardTimeout)
                .header("Content-Type", "application/json")
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
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
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

    // ---- the answers, from the account's partition on this instance

    private Answer answer(JsonNode q, int partition, boolean active) {
        String action = required(q, "action");
        Caller caller = new Caller(required(q, "accountId"), required(q, "principal"), text(q, "sourceIp"),
                q.path("secureTransport").asBoolean(false));
        long now = clock.millis();
        // the request's arrival at the adapter: the same answer whichever instance serves it
        long at = q.hasNonNull("requestTime") ? q.get("requestTime").asLong() : now;
        Answer replay = readNonce(q, caller.accountId(), now);
        if (replay != null) {
            return replay;
        }
        return switch (action) {
            case Api.GET_ACTION -> get(caller, required(q, "clusterId"), required(q, "jobId"), partition, active, now, at);
            case Api.LIST_ACTION -> list(caller, q, partition, active, now, at);
            default -> Answer.error(ApiError.INVALID_ACTION);
        };
    }

    /**
     * Step 0 of a read, like the stop's: the signature nonce, deployment-wide because every read of an
     * account is answered by the account's owner. Kept in memory like {@link ReadQuota} (a read changes
     * nothing, so it is not worth a write to Kafka): an account that moves to another instance starts
     * with no read nonces there, so a read replayed right after a rebalance can still be answered
     * (see docs/security.md). A query without a nonce (an adapter older than the check) is not checked.
     */
    private Answer readNonce(JsonNode q, String accountId, long now) {
        String nonce = text(q, "nonce");
        if (nonce == null) {
            return null;
        }
        String scope = accountId + "\n" + required(q, "accessKeyId");
        return switch (readNonces.use(scope, nonce, q.path("signedTime").asLong(now), now)) {
            case FIRST -> null;
            case REPLAY -> Answer.error(ApiError.SIGNATURE_NONCE_USED);
            case FULL -> Answer.error(ApiError.SERVICE_UNAVAILABLE, "Too many recent reads to check their nonces; retry later.");
        };
    }

    private record Caller(String accountId, String principal, String sourceIp, boolean secureTransport) {
    }

    private Answer get(Caller caller, String clusterId, String jobId, int partition, boolean active, long now, long at) {
        QuotaLedger.Decision quotaDecision = quota.tryAcquire(caller.accountId(), Api.GET_ACTION, now);
        if (!quotaDecision.accepted()) {
            return Answer.error(ApiError.THROTTLING_USER, quotaDecision.retryAfterMs());
        }
        String key = JobKey.of(clusterId, jobId);
        JobState job = queries.job(key);
        if (job == null || !caller.accountId().equals(job.getAccountId())) {
            return Answer.error(ApiError.JOB_NOT_FOUND);
        }
        AccountPolicies policies = queries.policies(partition, active, caller.accountId());
        if (!allowed(caller, Api.GET_ACTION, job, policies, at)) {
            return Answer.error(ApiError.FORBIDDEN);
        }
        return new Answer(200, Map.of("Job", view(key, job, partition, active)));
    }

    /**
     * The account's jobs that the caller may {@code live:ListEdgeTranscodeJob} on (their domain) and
     * that match the filters, created or last started or stopped within {@link #LIST_WINDOW} of the
     * request's time, sorted by CreateTime ({@code sortBy} desc, the default, or asc; a job without
     * CreateTime by the time its job-state took effect; ties by cluster and job id), one page. A job
     * the caller may not list is left out exactly like one that does not exist: no answer depends on
     * it (never Forbidden), so jobs in denied domains cannot be enumerated.
     */
    private Answer list(Caller caller, JsonNode q, int partition, boolean active, long now, long at) {
        QuotaLedger.Decision quotaDecision = quota.tryAcquire(caller.accountId(), Api.LIST_ACTION, now);
        if (!quotaDecision.accepted()) {
            return Answer.error(ApiError.THROTTLING_USER, quotaDecision.retryAfterMs());
        }
        if (!owners.complete()) {
            throw new JobQueries.Unavailable("the job index is still being built after the start");
        }
        String clusterId = text(q, "clusterId");
        Integer status = q.hasNonNull("status") ? q.get("status").asInt() : null;
        String keyword = text(q, "keyword");
        String type = text(q, "type");
        int pageNo = q.path("pageNo").asInt(1);
        int pageSize = q.path("pageSize").asInt(Api.DEFAULT_PAGE_SIZE);
        String sortBy = q.hasNonNull("sortBy") ? q.get("sortBy").asText() : Api.SORT_DESC;
        if (pageNo < 1 || pageSize < 1 || pageSize > Api.MAX_PAGE_SIZE) {
            return Answer.error(ApiError.INVALID_PARAMETER, "PageNo must be >= 1 and PageSize 1 to " + Api.MAX_PAGE_SIZE + ".");
        }
        if (!sortBy.equalsIgnoreCase(Api.SORT_DESC) && !sortBy.equalsIgnoreCase(Api.SORT_ASC)) {
            return Answer.error(ApiError.INVALID_PARAMETER, "SortBy must be desc or asc.");
        }
        long since = at - LIST_WINDOW.toMillis();
        AccountPolicies policies = queries.policies(partition, active, caller.accountId());
        List<Listed> matching = new ArrayList<>();
        for (String key : owners.of(caller.accountId())) {
            VersionedRecord<JobState> record = queries.jobRecord(key);
            JobState job = record == null ? null : record.value();
            if (job == null || !caller.accountId().equals(job.getAccountId())
                    || (clusterId != null && !clusterId.equals(job.getClusterId()))
                    || (type != null && !type.equals(job.getTranscodeType()))
                    || (keyword != null && !matchesKeyword(job, keyword))
                    || !allowed(caller, Api.LIST_ACTION, job, policies, at)) {
                continue;
            }
            Map<String, Object> view = view(key, job, partition, active);
            if (status != null && !String.valueOf(status).equals(view.get("Status"))) {
                continue;
            }
            long created = job.getCreateTime() != null ? job.getCreateTime().toEpochMilli() : record.timestamp();
            if (lastOperated(created, view) < since) {
                continue;
            }
            matching.add(new Listed(created, job.getClusterId(), job.getJobId(), view));
        }
        Comparator<Listed> byCreateTime = Comparator.comparingLong(Listed::created)
                .thenComparing(Listed::clusterId).thenComparing(Listed::jobId);
        matching.sort(sortBy.equalsIgnoreCase(Api.SORT_ASC) ? byCreateTime : byCreateTime.reversed());
        long from = (long) (pageNo - 1) * pageSize;
        List<Map<String, Object>> page = from >= matching.size() ? List.of()
                : matching.subList((int) from, (int) Math.min(matching.size(), from + pageSize)).stream().map(Listed::view).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Jobs", page);
        m.put("TotalCount", matching.size());
        return new Answer(200, m);
    }

    private record Listed(long created, String clusterId, String jobId, Map<String, Object> view) {
    }

    /** The latest of the job's creation and the LastStartAt / LastStopAt it is shown with. */
    private static long lastOperated(long created, Map<String, Object> view) {
        long last = created;
        for (String field : List.of("LastStartAt", "LastStopAt")) {
            if (view.get(field) instanceof String t) {
                last = Math.max(last, Instant.parse(t).toEpochMilli());
            }
        }
        return last;
    }

    /** Alibaba's Keyword: the job id exactly, or part of the name (any case). */
    private static boolean matchesKeyword(JobState job, String keyword) {
        return job.getJobId().equals(keyword) || (job.getName() != null
                && job.getName().toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT)));
    }

    private static boolean allowed(Caller caller, String action, JobState job, AccountPolicies policies, long now) {
        return PolicyEvaluator.evaluate(caller.principal(), caller.accountId(), PolicyEvaluator.policiesOf(policies, caller.principal()),
                new RequestContext(Api.ramAction(action), PolicyEvaluator.domainResource(caller.accountId(), job.getDomainName()),
                        caller.sourceIp(), caller.secureTransport(), now)).allowed();
    }

    /**
     * A job in Alibaba's fields ({@code Status} "1" running, "0" not; times {@code yyyy-MM-ddTHH:mm:ssZ};
     * {@code CreateTime}, {@code StreamInput}, {@code StreamOutput}, {@code TemplateId}, {@code TemplateName}
     * and {@code Type} when job-state holds them), then the stop's progress:
     * {@code JobStatus} (the status in force), and while a stop is in flight {@code StopRequestId},
     * {@code StopPendingSince}, {@code StopAttempt}, {@code StopDeadline}, {@code LastDirectiveId}; once a
     * worker reported it stopped, {@code StoppedByRequestId} and {@code LastDirectiveId}.
     */
    private Map<String, Object> view(String key, JobState job, int partition, boolean active) {
        JobObservation observed = queries.observation(partition, active, key);
        PendingStop pending = queries.pendingStop(partition, active, key);
        JobStatus status = JobLookup.statusInForce(job, observed);
        boolean observedApplies = observed != null && status == observed.getStatus()
                && observed.getJobStateRevision() >= job.getRevision();
        Instant lastStop = observedApplies && observed.getStoppedAt() != null ? observed.getStoppedAt() : job.getLastStopAt();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("JobId", job.getJobId());
        m.put("Name", job.getName() == null ? job.getJobId() : job.getName());
        m.put("Status", status == JobStatus.RUNNING ? "1" : "0");
        m.put("ClusterId", job.getClusterId());
        putTime(m, "CreateTime", job.getCreateTime());
        putTime(m, "LastStartAt", job.getLastStartAt());
        putTime(m, "LastStopAt", lastStop);
        putText(m, "StreamInput", job.getStreamInput());
        putText(m, "StreamOutput", job.getStreamOutput());
        putText(m, "TemplateId", job.getTemplateId());
        putText(m, "TemplateName", job.getTemplateName());
        putText(m, "Type", job.getTranscodeType());
        m.put("JobStatus", status.name());
        if (pending != null) {
            m.put("StopRequestId", pending.requestId());
            putTime(m, "StopPendingSince", Instant.ofEpochMilli(pending.issuedAt()));
            m.put("StopAttempt", pending.attempt());
            putTime(m, "StopDeadline", Instant.ofEpochMilli(pending.deadline()));
            m.put("LastDirectiveId", pending.directiveId());
        } else if (observedApplies && status == JobStatus.STOPPED) {
            if (observed.getRequestId() != null) {
                m.put("StoppedByRequestId", observed.getRequestId());
            }
            if (observed.getDirectiveId() != null) {
                m.put("LastDirectiveId", observed.getDirectiveId());
            }
        }
        return m;
    }

    /** Alibaba's optional fields: left out when job-state does not hold them (the SDK reads them as null). */
    private static void putText(Map<String, Object> m, String name, String value) {
        if (value != null) {
            m.put(name, value);
        }
    }

    private static void putTime(Map<String, Object> m, String name, Instant t) {
        if (t != null) {
            m.put(name, t.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

    private static String required(JsonNode q, String name) {
        String v = text(q, name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return v;
    }

    private static String text(JsonNode q, String name) {
        JsonNode n = q.get(name);
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
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
