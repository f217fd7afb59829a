package io.edgestop.adapter.action;

import io.edgestop.adapter.auth.Authenticator;
import io.edgestop.adapter.request.Params;
import io.opentelemetry.context.Context;

/**
 * A verified call handed to its {@link ApiAction}: who called, from where, the parameters, and the
 * request's trace context (its server span), for what the action sends on.
 */
public record ApiCall(String requestId, long arrivalMillis, Authenticator.Verified caller, Params params,
                      String sourceIp, boolean secureTransport, Context trace) {
}
