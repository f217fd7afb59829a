package io.edgestop.adapter.action;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.adapter.kafka.ReplyRouter;
import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.Api;
import io.edgestop.api.ApiError;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.trace.TraceContext;

/**
 * StopEdgeTranscodeJob: publishes the call as a {@link StopCommand} (key accountId, the request's
 * traceparent on its headers) and answers with the orchestrator's decision read from stop-results
 * (docs/http-api.md, "Request/reply over Kafka").
 */
public final class StopJobAction implements ApiAction {

    private static final Logger LOG = LoggerFactory.getLogger(StopJobAction.class);

    private final String instanceId;
    private final ReplyRouter router;
    private final Producer<String, StopCommand> producer;
    private final String commandsTopic;
    private final Duration replyTimeout;
    /** Run for each call answered 503 because no decision arrived within the reply timeout: the adapter counts them. */
    private final Runnable replyTimedOut;
    private final BooleanSupplier ready;

    public StopJobAction(String instanceId, ReplyRouter router, Producer<String, StopCommand> producer, String commandsTopic,
                         Duration replyTimeout, Runnable replyTimedOut, BooleanSupplier ready) {
        this.instanceId = instanceId;
        this.router = router;
        this.producer = producer;
        this.commandsTopic = commandsTopic;
        this.replyTimeout = replyTimeout;
        this.replyTimedOut = replyTimedOut;
        this.ready = ready;
    }

    @Override
    public String name() {
        return Api.ACTION;
    }

    @Override
    public void validate(Params params) throws ApiException {
        JobParams.require(params, "ClusterId");
        JobParams.require(params, "JobId");
    }

    @Override
    public CompletableFuture<Map<String, Object>> call(ApiCall call) {
        if (!ready.getAsBoolean()) {
            return CompletableFuture.failedFuture(
                    ApiException.serviceUnavailable("The service is starting or cannot reach Kafka; retry later."));
        }
        String requestId = call.requestId();
        StopCommand command = StopCommand.newBuilder()
                .setRequestId(requestId)
                .setAccountId(call.caller().credential().accountId())
                .setPrincipal(call.caller().credential().principal())
                .setAccessKeyId(call.caller().credential().accessKeyId())
                .setSourceIp(call.sourceIp())
                .setSecureTransport(call.secureTransport())
                .setRequestTime(call.caller().requestTime())
                .setClusterId(call.params().get("ClusterId"))
                .setJobId(call.params().get("JobId"))
                .setSignatureNonce(call.caller().nonce())
                .setReplyTo(instanceId)
                .build();

        CompletableFuture<StopResult> reply = router.register(requestId);
        ProducerRecord<String, StopCommand> record = new ProducerRecord<>(commandsTopic, null, call.arrivalMillis(),
                command.getAccountId(), command, TraceContext.inject(call.trace(), new RecordHeaders()));
        try {
            producer.send(record, (meta, err) -> {
                if (err != null) {
                    LOG.warn("request {}: cannot publish the stop command: {}", requestId, err.toString());
                    reply.completeExceptionally(new PublishFailed(err));
                }
            });
        } catch (RuntimeException e) {
            reply.completeExceptionally(new PublishFailed(e));
        }
        return reply.orTimeout(replyTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((result, err) -> {
            if (err == null) {
                return answer(command, result);
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            router.forget(requestId);
            if (cause instanceof TimeoutException) {
                replyTimedOut.run();
                throw new CompletionException(ApiException.serviceUnavailable("No decision arrived within " + replyTimeout.toMillis()
                        + " ms. The stop command was published and may still take effect: read its StopResult"
                        + " (key RequestId) on the stop-results topic, or retry the call; a stop already in"
                        + " flight for this job is joined, not repeated."));
            }
            if (cause instanceof PublishFailed) {
                throw new CompletionException(ApiException.serviceUnavailable(
                        "The stop command could not be published to Kafka; nothing was changed. Retry later."));
            }
            throw new CompletionException(ApiException.serviceUnavailable("The service is shutting down; retry the call."));
        });
    }

    private static Map<String, Object> answer(StopCommand command, StopResult result) {
        if (result.getOutcome() == Outcome.ACCEPTED) {
            return Map.of("JobId", result.getJobId() != null ? result.getJobId() : command.getJobId());
        }
        int status = result.getHttpStatus() >= 400 && result.getHttpStatus() <= 599 ? result.getHttpStatus() : 400;
        String code = result.getCode() == null || result.getCode().isEmpty() ? ApiError.INTERNAL_ERROR.code() : result.getCode();
        throw new CompletionException(new ApiException(status, code, result.getMessage() == null ? code : result.getMessage(),
                retryAfter(result)));
    }

    /**
     * The result's hint counts from the decision's event time, the command's timestamp (its arrival
     * here): what is left of it now, so a reply that took a while does not make the caller wait too long.
     */
    private static Long retryAfter(StopResult result) {
        if (result.getRetryAfterMs() == null) {
            return null;
        }
        long until = result.getEventTime().toEpochMilli() + result.getRetryAfterMs();
        return Math.max(0, until - System.currentTimeMillis());
    }

    private static final class PublishFailed extends RuntimeException {
        PublishFailed(Throwable cause) {
            super(cause);
        }
    }
}
