/**
 * What every part of the orchestrator runs with: its settings (and the records of the few settings each part is
 * given: {@code QuerySettings}, {@code TopologySettings} with {@code DecisionSettings} and {@code CommitIntervals}),
 * its meters, the RocksDB memory bounds and the min ISR rule of the topics it creates.
 */
package io.edgestop.orchestrator.runtime;
