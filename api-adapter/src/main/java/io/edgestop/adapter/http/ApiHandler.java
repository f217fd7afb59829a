package io.edgestop.adapter.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.adapter.action.ApiAction;
import io.edgestop.adapter.action.ApiCall;
import io.edgestop.adapter.auth.ActionBinding;
import io.edgestop.adapter.auth.Authenticator;
import io.edgestop.adapter.auth.CallerGate;
import io.edgestop.adapter.auth.SignatureV3;
import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.Api;
import io.edgestop.api.ApiError;
import io.edgestop.trace.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The adapter's HTTP endpoints on the plain Jetty 12 core Handler API: the RPC API at {@code /},
 * plus {@code /healthz} and {@code /readyz} ({@code /metrics} only on the admin connector). Every action goes through one
 * pipeline (parse, action and version, signature and timestamp, the action's parameters, rate and nonce;
 * the answer in JSON or XML) and is then called as its {@link ApiAction}. Requests waiting for
 * Kafka or the orchestrator do not hold a thread: the answer is written when the action's future completes.
 * Each API request is a server span, child of the request's {@code traceparent} when it has a
 * valid one, else the root of a new trace; the action gets its context (the stop command carries it on its headers).
 */
public final class ApiHandler extends Handler.Abstract {

    public static final String VERSION = Api.VERSION;
    /** Alibaba's retry hint: milliseconds after which a retry can succeed (its current SDKs wait that long). */
    public static final String RETRY_AFTER = "x-acs-retry-after";

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.edgestop.adapter.access");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String instanceId;
    private final Authenticator authenticator;
    private final CallerGate gate;
    private final ClientAddress clientAddress;
    private final Map<String, ApiAction> actions = new LinkedHashMap<>();
    private final int maxBodyBytes;
    /** How much of a declared too-large body is read and dropped before the 413 (see refuseDeclaredTooLarge). */
    static final long DRAIN_LIMIT_BYTES = 1 << 20;

    private final AdapterMetrics metrics;
    private final BooleanSupplier ready;
    private final Clock clock;
    private final Executor responder;
    private final Tracer tracer;

    public ApiHandler(String instanceId, Authenticator authenticator, CallerGate gate, ClientAddress clientAddress,
                      List<ApiAction> actions, int maxBodyBytes, AdapterMetrics metrics, BooleanSupplier ready, Clock clock,
                      Executor responder, Tracer tracer) {
        this.instanceId = instanceId;
        this.authenticator = authenticator;
        this.gate = gate;
        this.clientAddress = clientAddress;
        actions.forEach(a -> this.actions.put(a.name(), a));
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        this.ready = ready;
        this.clock = clock;
        this.responder = responder;
        this.tracer = tracer;
    }

    /** Generates an Alibaba-style request id: an upper-case UUID. */
    public static String newRequestId() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    /** The name of the connector that serves the admin endpoint ({@code admin.port}); only it serves {@code /metrics}. */
    public static final String ADMIN_CONNECTOR = "admin";

    /**
     * The admin endpoint: {@code /metrics} (the metrics say which access keys call and how often they are refused,
     * so they are not for the API's callers), {@code /healthz} and {@code /readyz}; nothing else, no API action.
     */
    private boolean admin(String path, Response response, Callback callback) {
        switch (path) {
            case "/metrics" -> {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
                response.write(true, ByteBuffer.wrap(metrics.scrape()), callback);
            }
            case "/healthz" -> writePlain(response, callback, 200, "application/json;charset=utf-8", "{\"status\":\"UP\"}");
            case "/readyz" -> {
                boolean ok = ready.getAsBoolean();
                writePlain(response, callback, ok ? 200 : 503, "application/json;charset=utf-8",
                        ok ? "{\"status\":\"READY\"}" : "{\"status\":\"NOT_READY\"}");
            }
            default -> writePlain(response, callback, 404, "text/plain;charset=utf-8", "not found\n");
        }
        return true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (ADMIN_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName())) {
            return admin(path, response, callback);
        }
        switch (path) {
            case "/healthz" -> {
                writePlain(response, callback, 200, "application/json;charset=utf-8", "{\"status\":\"UP\"}");
                return true;
            }
            case "/readyz" -> {
                boolean ok = ready.getAsBoolean();
                writePlain(response, callback, ok ? 200 : 503, "application/json;charset=utf-8",
                        ok ? "{\"status\":\"READY\"}" : "{\"status\":\"NOT_READY\"}");
                return true;
            }
            default -> {
                Exchange ex = new Exchange(request, response, callback);
                metrics.inFlightInc();
                if (!path.equals("/")) {
                    ex.fail(new ApiException(ApiError.INVALID_ACTION));
                    return true;
                }
                try {
                    start(ex);
                } catch (RuntimeException e) {
                    LOG.error("request {} failed", ex.requestId, e);
                    ex.fail(new ApiException(ApiError.INTERNAL_ERROR));
                }
                return true;
            }
        }
    }

    private void start(Exchange ex) {
        String method = ex.request.getMethod();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            ex.response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
            ex.fail(new ApiException(ApiError.UNSUPPORTED_HTTP_METHOD, RequestParser.truncate(method, 16)));
            return;
        }
        long declared = ex.request.getLength();
        if (declared > maxBodyBytes) {
            refuseDeclaredTooLarge(ex, declared);
            return;
        }
        Content.Source.asByteArrayAsync(ex.request, maxBodyBytes).whenComplete((body, err) -> {
            if (err != null) {
                ex.fail(tooLarge());
                return;
            }
            try {
                process(ex, body);
            } catch (ApiException e) {
                ex.fail(e);
            } catch (RuntimeException e) {
                LOG.error("request {} failed", ex.requestId, e);
                ex.fail(new ApiException(ApiError.INTERNAL_ERROR));
            }
        });
    }

    /**
     * A client still sending a body it declared too large would otherwise see the connection reset
     * (the server closing with unread bytes) instead of the 413: up to {@link #DRAIN_LIMIT_BYTES} the
     * body is read and dropped first; beyond it the answer is sent at once.
     */
    private void refuseDeclaredTooLarge(Exchange ex, long declared) {
        if (declared > DRAIN_LIMIT_BYTES) {
            ex.fail(tooLarge());
            return;
        }
        Content.Source.consumeAll(ex.request, Callback.from(() -> ex.fail(tooLarge()), failure -> ex.fail(tooLarge())));
    }

    private ApiException tooLarge() {
        return new ApiException(ApiError.ENTITY_TOO_LARGE, maxBodyBytes);
    }

    /** The shared pipeline: parameters, action and version, signature and timestamp, the action's parameters, rate and nonce, call. */
    private void process(Exchange ex, byte[] body) throws ApiException {
        Request req = ex.request;
        Params params = RequestParser.parse(req.getHttpURI().getQuery(),
                req.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
        ex.xml = "XML".equalsIgnoreCase(params.get("Format"));

        ActionBinding.Bound bound = ActionBinding.of(params, n -> header(req, n));
        String name = bound.action();
        String version = bound.version();
        ex.action = name;
        if (name == null || name.isEmpty()) {
            throw ApiException.missingParameter("Action");
        }
        ApiAction action = actions.get(name);
        if (action == null) {
            ex.action = "unknown";
            throw new ApiException(ApiError.INVALID_ACTION);
        }
        if (version == null || version.isEmpty()) {
            throw ApiException.missingParameter("Version");
        }
        if (!VERSION.equals(version)) {
            throw new ApiException(ApiError.INVALID_VERSION, name + " exists only in version " + VERSION + ".");
        }

        Authenticator.Verified verified = authenticator.verify(req.getMethod(), params, n -> header(req, n),
                body.length == 0 ? SignatureV3.EMPTY_BODY_SHA256 : SignatureV3.sha256Hex(body));
        ex.accessKeyId = verified.credential().accessKeyId();
        ex.clusterId = params.get("ClusterId");
        ex.jobId = params.get("JobId");
        action.validate(params);
        gate.admit(verified, clock.millis());

        CompletableFuture<Map<String, Object>> answer;
        try {
            answer = action.call(new ApiCall(ex.requestId, ex.arrivalMillis, verified, params, ex.sourceIp, ex.secure,
                    Context.root().with(ex.span)));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // answer on the HTTP thread pool, not on the Kafka listener, the HTTP client or the timeout thread
        answer.whenCompleteAsync((fields, err) -> {
            if (err == null) {
                ex.succeed(action.name(), fields);
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof ApiException e) {
                ex.fail(e);
            } else {
                LOG.error("request {} failed", ex.requestId, cause);
                ex.fail(new ApiException(ApiError.INTERNAL_ERROR));
            }
        }, responder);
    }

    private static String header(Request req, String name) {
        String v = req.getHeaders().get(name);
        return v;
    }

    private static void writePlain(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** One API request/response and what the access log says about it. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final String requestId = newRequestId();
        final long startNanos = System.nanoTime();
        final long arrivalMillis = clock.millis();
        final String sourceIp;
        final boolean secure;
        final AtomicBoolean answered = new AtomicBoolean();
        final Span span;
        volatile boolean xml;
        volatile String action;
        volatile String accessKeyId;
        volatile String clusterId;
        volatile String jobId;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            ClientAddress.Resolved r = clientAddress.resolve(Request.getRemoteAddr(request),
                    request.getConnectionMetaData().isSecure(),
                    request.getHeaders().get(HttpHeader.X_FORWARDED_FOR),
                    request.getHeaders().get(HttpHeader.X_FORWARDED_PROTO));
            this.sourceIp = r.sourceIp();
            this.secure = r.secureTransport();
            this.span = tracer.spanBuilder("API request").setSpanKind(SpanKind.SERVER)
                    .setParent(TraceContext.extract(name -> request.getHeaders().get(name)))
                    .setAttribute("edgestop.request_id", requestId)
                    .startSpan();
        }

        void succeed(String action, Map<String, Object> fields) {
            write(200, null, ResponseBodies.contentType(xml), ResponseBodies.success(action, requestId, fields, xml), null);
        }

        /** In the format asked for (Alibaba answers an XML {@code <Error>} to Format=XML), with the retry hint when known. */
        void fail(ApiException e) {
            write(e.status(), e.code(), ResponseBodies.contentType(xml),
                    ResponseBodies.error(requestId, hostId(), e.code(), e.getMessage(), xml), e.retryAfterMs());
        }

        private String hostId() {
            String h = Request.getServerName(request);
            return h == null ? "edgestop" : h;
        }

        private void write(int status, String code, String contentType, String body, Long retryAfterMs) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            long nanos = System.nanoTime() - startNanos;
            metrics.inFlightDec();
            metrics.requestDone(action, code, status, nanos);
            accessLog(status, code, nanos);
            endSpan(status, code);
            try {
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
                response.getHeaders().put("x-acs-request-id", requestId);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                if (retryAfterMs != null) {
                    response.getHeaders().put(RETRY_AFTER, Long.toString(retryAfterMs));
                }
                if (status == 413) {
                    // the unread body makes the connection unusable: tell pooled clients not to reuse it
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            } catch (RuntimeException e) {
                callback.failed(e);
            }
        }

        private void endSpan(int status, String code) {
            if (action != null && !action.isEmpty()) {
                span.updateName(action); // the action or "unknown", never what the caller sent
            }
            span.setAttribute("http.response.status_code", status);
            if (code != null) {
                span.setAttribute("edgestop.error_code", code);
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }

        private void accessLog(int status, String code, long nanos) {
            if (!ACCESS.isInfoEnabled()) {
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            m.put("method", RequestParser.truncate(request.getMethod(), 16));
            m.put("path", RequestParser.truncate(Request.getPathInContext(request), 64));
            m.put("sourceIp", sourceIp);
            m.put("secure", secure);
            m.put("action", action);
            m.put("accessKeyId", accessKeyId);
            m.put("clusterId", clusterId == null ? null : RequestParser.truncate(clusterId, 128));
            m.put("jobId", jobId == null ? null : RequestParser.truncate(jobId, 128));
            m.put("status", status);
            m.put("code", code);
            m.put("durationMs", Math.round(nanos / 1e5) / 10.0);
            m.put("instance", instanceId);
            m.put("traceId", TraceContext.traceId(Context.root().with(span)));
            try {
                ACCESS.info(MAPPER.writeValueAsString(m));
            } catch (Exception e) {
                ACCESS.info("{\"requestId\":\"{}\",\"status\":{}}", requestId, status);
            }
        }
    }
}
