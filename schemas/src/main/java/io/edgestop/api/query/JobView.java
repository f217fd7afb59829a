package io.edgestop.api.query;

import java.time.Instant;

import io.edgestop.schema.JobStatus;

/**
 * A job as the account's owner holds it: job-state's fields, the status in force (a worker's observed stop
 * counts at once) and the progress of its stop. Optional fields are null when job-state does not hold them.
 *
 * @param name               the job's name; null when it has none
 * @param status             the status in force
 * @param lastStopAt         when the job stopped: the worker's time once it reported the stop, else job-state's
 * @param transcodeType      the edge transcoding type, e.g. common
 * @param stopInFlight       the stop in flight; null when none
 * @param stoppedByRequestId the request whose stop a worker reported, while that stop is the status in force
 * @param lastDirectiveId    the directive of the stop in flight, or the one the worker acted on when it
 *                           reported the stop
 */
public record JobView(String clusterId, String jobId, String name, JobStatus status, Instant createTime,
                      Instant lastStartAt, Instant lastStopAt, String streamInput, String streamOutput, String templateId,
                      String templateName, String transcodeType, StopInFlight stopInFlight, String stoppedByRequestId,
                      String lastDirectiveId) {

    /** A stop in flight: the request that caused it, since when, and its directive's attempt and deadline. */
    public record StopInFlight(String requestId, Instant since, int attempt, Instant deadline) {
    }
}
