package io.edgestop.orchestrator.state;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.schema.JobState;

/**
 * This instance's {@code job-states} global store, for the job queries: the global store's processor
 * hands it over when Kafka Streams opens it, and the queries read the latest version of a job from
 * it, never a copy. Interactive queries v1 would hand out the same store (v2 does not serve global
 * stores), read from the caller's thread just as here, but only through a store type built on Kafka
 * Streams' internal {@code StateStoreProvider}. What is given up is IQ's own check that the client is
 * running; the job query endpoint asks Kafka Streams for the account's metadata first, which checks it,
 * and a store not (or no longer) open is still refused here.
 */
public final class JobStateStore {

    private volatile VersionedKeyValueStore<String, JobState> store;

    /** By the global store's processor, at its init. */
    public void opened(VersionedKeyValueStore<String, JobState> store) {
        this.store = store;
    }

    /** The job's latest version (its state and the time it took effect), or null. */
    public VersionedRecord<JobState> latest(String jobKey) {
        VersionedKeyValueStore<String, JobState> s = store;
        if (s == null || !s.isOpen()) {
            throw new InvalidStateStoreException("the store " + JobLookup.JOBS_STORE + " is not open");
        }
        return s.get(jobKey);
    }
}
