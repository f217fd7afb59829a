/**
 * The decision rules as plain functions of their inputs ({@link io.edgestop.orchestrator.decision.DecisionRules}
 * in the decision order, with the parameters, field sizes, an async producer's binding, directive routing and
 * the rejections they use), the {@link io.edgestop.orchestrator.decision.Decision} they come to, a report's
 * binding to its cluster, the policy evaluator and the quota ledger: nothing here reads a store or talks to Kafka.
 */
package io.edgestop.orchestrator.decision;
