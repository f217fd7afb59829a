/**
 * What every part of the orchestrator runs with: its settings, its meters, the RocksDB memory bounds and the
 * min ISR rule of the topics it creates.
 */
package io.edgestop.orchestrator.runtime;
