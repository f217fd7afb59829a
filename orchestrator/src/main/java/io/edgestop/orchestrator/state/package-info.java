/**
 * The state the processors keep and their formats: the command ledger (nonces and quota), the pending stops,
 * the job lookup over the job-states and job-observations stores, and the job-owner index.
 */
package io.edgestop.orchestrator.state;
