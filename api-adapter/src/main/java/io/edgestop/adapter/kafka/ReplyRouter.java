package io.edgestop.adapter.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;

/**
 * Requests of this instance waiting for their decision, by requestId. An entry exists only while
 * its HTTP request waits: it is removed when the result arrives, when the wait times out, or when
 * the request fails, so results for anything else can never accumulate.
 */
public final class ReplyRouter {

    /** What happened to one result read from the results topic. */
    public enum Routed { DELIVERED, LATE, OTHER_INSTANCE, FOLLOW_UP }

    private final String instanceId;
    private final ConcurrentMap<String, CompletableFuture<StopResult>> waiting = new ConcurrentHashMap<>();

    public ReplyRouter(String instanceId) {
        this.instanceId = instanceId;
    }

    /** Registers a request before its command is sent, so that even the fastest result finds it. */
    public CompletableFuture<StopResult> register(String requestId) {
        CompletableFuture<StopResult> f = new CompletableFuture<>();
        if (waiting.putIfAbsent(requestId, f) != null) {
            throw new IllegalStateException("duplicated requestId " + requestId);
        }
        f.whenComplete((r, e) -> waiting.remove(requestId, f));
        return f;
    }

    /** Stops waiting for a request (timeout, send failure); a result arriving later counts as late. */
    public void forget(String requestId) {
        waiting.remove(requestId);
    }

    public Routed route(StopResult result) {
        String replyTo = result.getReplyTo();
        if (replyTo == null || !instanceId.equals(replyTo)) {
            return Routed.OTHER_INSTANCE;
        }
        Outcome outcome = result.getOutcome();
        if (outcome != Outcome.ACCEPTED && outcome != Outcome.REJECTED) {
            return Routed.FOLLOW_UP;
        }
        CompletableFuture<StopResult> f = waiting.remove(result.getRequestId());
        if (f == null || !f.complete(result)) {
            return Routed.LATE;
        }
        return Routed.DELIVERED;
    }

    public int pending() {
        return waiting.size();
    }

    /** Completes every waiting request exceptionally (shutdown). */
    public void failAll(Throwable cause) {
        waiting.values().forEach(f -> f.completeExceptionally(cause));
        waiting.clear();
    }
}
