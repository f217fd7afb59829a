/**
 * The decision rules as plain functions of their inputs (parameters, field sizes, an async producer's binding,
 * a report's binding to its cluster, directive routing, the rejections), the policy evaluator and the quota
 * ledger: nothing here reads a store or talks to Kafka.
 */
package io.edgestop.orchestrator.decision;
