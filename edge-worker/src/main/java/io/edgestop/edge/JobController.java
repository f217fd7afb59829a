package io.edgestop.edge;

/**
 * What an edge worker uses to act on the jobs of its cluster: the seam between the Kafka side
 * (directives in, reports out) and the machines that actually run transcoding jobs.
 *
 * <p>Implementations must be <b>idempotent</b>: stopping a job that is already stopped must not
 * stop it again and must answer with the original stop time. The worker relies on this to stay
 * correct under redelivery and after a crash between stopping and reporting, because then the
 * same directive is handled again.
 */
public interface JobController {

    /**
     * Stops the job if it runs; returns what the job is now.
     *
     * @throws Exception when the stop could not be carried out (the worker retries, then reports
     *                   the failure; the orchestrator re-sends the directive after its deadline)
     */
    StopOutcome stop(String clusterId, String jobId) throws Exception;
}
