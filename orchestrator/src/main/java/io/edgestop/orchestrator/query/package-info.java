/**
 * The job queries (GetEdgeTranscodeJob, ListEdgeTranscodeJob through the adapter): the HTTP endpoint that
 * answers from the account's task here or forwards to its owner or a standby, the reads of the orchestrator's
 * own state, the read quota and the job-owner index's loader.
 */
package io.edgestop.orchestrator.query;
