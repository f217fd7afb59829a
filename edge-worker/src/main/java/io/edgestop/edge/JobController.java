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
     * The controller named by {@code job.controller} in a worker's settings: the class name of a
     * controller with a public no-argument constructor, or {@code simulated} (its {@code simulated.*}
     * keys from the same settings). There is no default: a worker that silently simulated would
     * report stops that never happened on real machines.
     */
    static JobController fromSettings(java.util.Map<String, String> settings) throws ReflectiveOperationException {
        String name = settings.get(EdgeWorkerConfig.JOB_CONTROLLER);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(EdgeWorkerConfig.JOB_CONTROLLER + " is required: the class name of the"
                    + " JobController that stops this cluster's jobs, or '" + SIMULATED + "' (stops nothing real: demos and tests)");
        }
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
