/**
 * The Kafka Streams topology (pure: built, never connected) and its processors: the job-state global store,
 * the report router, the decider and its redelivery punctuation, the audit chain, and what they write out;
 * with the ports it is given ({@link io.edgestop.orchestrator.topology.DirectiveTopics},
 * {@link io.edgestop.orchestrator.topology.DeadLetters}).
 */
package io.edgestop.orchestrator.topology;
