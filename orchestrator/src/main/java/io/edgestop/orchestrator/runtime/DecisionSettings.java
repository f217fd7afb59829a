package io.edgestop.orchestrator.runtime;

/**
 * What the deciding processor ({@code Decider}) decides with: the signature-nonce replay window, the quota of
 * an account whose settings name none, and each stop's directive deadline and attempts.
 */
public record DecisionSettings(long nonceWindowMs, int quotaDefaultPerMinute, long directiveDeadlineMs,
                               int directiveMaxAttempts) {
}
