/**
 * The job queries (GetEdgeTranscodeJob, ListEdgeTranscodeJob through the adapter), one job a class: the HTTP
 * endpoint ({@code JobQueryServer}: the token, the wire form, the status codes, answering here or forwarding to
 * the account's owner or a standby), where an account's state lives ({@code JobOwnerLocator}), the read service
 * that checks a read and answers typed views ({@code JobReadService}, with the read quota), the reads of the
 * orchestrator's own state ({@code JobQueries}) and the job-owner index's loader.
 */
package io.edgestop.orchestrator.query;
