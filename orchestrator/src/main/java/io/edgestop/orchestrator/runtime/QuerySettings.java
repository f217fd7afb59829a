package io.edgestop.orchestrator.runtime;

import java.time.Duration;

import io.edgestop.ops.QueryToken;

/**
 * What the job query endpoint ({@code JobQueryServer}) runs with: where it listens and is reached
 * ({@code advertisedHost} empty: {@code host}), the token its callers sign with, each read action's quota and
 * the signature-nonce window of the accounts' calls, and how long a query forwarded to the account's owner may take.
 */
public record QuerySettings(String host, int port, String advertisedHost, QueryToken token, int quotaPerMinute,
                           long nonceWindowMs, Duration forwardTimeout) {
}
