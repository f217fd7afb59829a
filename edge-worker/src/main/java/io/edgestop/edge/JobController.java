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

    /** The {@code job.controller} value of the {@link SimulatedJobController}. */
    String SIMULATED = "simulated";

    /**
     * The controller named by {@code job.controller} in a worker's settings: {@code simulated}
     * (default; its {@code simulated.*} keys from the same settings) or the class name of a
     * controller with a public no-argument constructor.
     */
    static JobController fromSettings(java.util.Map<String, String> settings) throws ReflectiveOperationException {
        String name = settings.getOrDefault(EdgeWorkerConfig.JOB_CONTROLLER, SIMULATED);
        if (name.equals(SIMULATED)) {
            return SimulatedJobController.fromMap(settings);
        }
        return (JobController) Class.forName(name).getDeclaredConstructor().newInstance();
    }

    /**
     * Stops the job if it runs; returns what the job is now.
     *
     * @throws Exception when the stop could not be carried out (the worker retries, then reports
     *                   the failure; the orchestrator re-sends the directive after its deadline)
     */
    StopOutcome stop(String clusterId, String jobId) throws Exception;
}
