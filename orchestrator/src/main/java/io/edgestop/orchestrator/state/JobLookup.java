package io.edgestop.orchestrator.state;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.topics.TopicContract;

/**
 * Step 3, job lookup: the control plane's job state (the {@code job-states} global store, kept
 * by {@code JobStateUpdater}) and what the workers were observed to do on top of it (the task's
 * {@code job-observations} store), both as of a point in event time. An observation counts only
 * for the job-state revision it was made on: a later revision from the control plane (a restart,
 * say) supersedes it.
 */
public final class JobLookup {

    public static final String JOBS_STORE = "job-states";
    public static final String OBSERVATIONS_STORE = TopicContract.JOB_OBSERVATIONS_STORE.streamsName();

    /** A job as the decider sees it: the control plane's state and the status in force. */
    public record Job(JobState state, JobStatus status, long since) {
    }

    private final VersionedKeyValueStore<String, JobState> jobs;
    private final VersionedKeyValueStore<String, JobObservation> observations;

    public JobLookup(ProcessorContext<?, ?> context) {
        this.jobs = context.getStateStore(JOBS_STORE);
        this.observations = context.getStateStore(OBSERVATIONS_STORE);
    }

    /** The job as of {@code asOf}, or null when the account has no such job then. */
    public Job asOf(String jobKey, long asOf) {
        VersionedRecord<JobState> state = jobs.get(jobKey, asOf);
        // an unknown job (JobNotFound) needs no observation lookup
        return state == null ? null : view(state, observations.get(jobKey, asOf));
    }

    /** The job as it stands now (latest versions), or null when unknown. */
    public Job latest(String jobKey) {
        VersionedRecord<JobState> state = jobs.get(jobKey);
        return state == null ? null : view(state, observations.get(jobKey));
    }

    private static Job view(VersionedRecord<JobState> state, VersionedRecord<JobObservation> observed) {
        JobState s = state.value();
        JobObservation o = observed == null ? null : observed.value();
        if (applies(s, o)) {
            return new Job(s, o.getStatus(), Math.max(state.timestamp(), observed.timestamp()));
        }
        return new Job(s, s.getStatus(), state.timestamp());
    }

    /** The status in force for a job: the observation's when it was made on this revision (or a later one), else the control plane's. */
    public static JobStatus statusInForce(JobState state, JobObservation observed) {
        return applies(state, observed) ? observed.getStatus() : state.getStatus();
    }

    private static boolean applies(JobState state, JobObservation observed) {
        return observed != null && observed.getJobStateRevision() >= state.getRevision();
    }

    public void putObservation(String jobKey, JobObservation observation, long at) {
        observations.put(jobKey, observation, at);
    }
}
