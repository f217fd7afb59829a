/**
 * The orchestrator's Kafka clients outside the topology: topic provisioning, each cluster's directive topic,
 * the stream-time ticker and the relay that checks the workers' reports before the topology reads them.
 */
package io.edgestop.orchestrator.kafka;
