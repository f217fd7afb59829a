package io.edgestop.edge;

import java.time.Instant;
import java.util.Objects;

import io.edgestop.schema.JobStatus;

/**
 * The answer of a {@link JobController} to a stop.
 *
 * @param status    status of the job after the call (STOPPED after a successful stop)
 * @param stoppedAt when the job stopped, by the edge's clock; the <b>original</b> stop time
 *                  when it was already stopped; null when not stopped
 * @param stoppedNow true only when this call made the transition from running to stopped
 * @param message   optional detail (e.g. "already stopped", "no such job")
 */
public record StopOutcome(JobStatus status, Instant stoppedAt, boolean stoppedNow, String message) {

    public StopOutcome {
        Objects.requireNonNull(status, "status");
    }

    public static StopOutcome stoppedNow(Instant at) {
        return new StopOutcome(JobStatus.STOPPED, at, true, null);
    }

    public static StopOutcome alreadyStopped(Instant at) {
        return new StopOutcome(JobStatus.STOPPED, at, false, "already stopped");
    }
}
