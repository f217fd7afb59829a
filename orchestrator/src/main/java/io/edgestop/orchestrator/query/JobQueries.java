package io.edgestop.orchestrator.query;

import java.util.Set;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.JobStateStore;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.state.PendingStops;
import io.edgestop.orchestrator.topology.OrchestratorTopology;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;

/**
 * Reads of the orchestrator's own state, never a copy: the job-states global store (every instance
 * holds it; read through the {@link JobStateStore} its processor hands over, as interactive queries
 * v2 do not serve global stores) and the account task's stores (interactive queries v2, on the
 * account's partition: its active task, or a standby when {@code active} is false).
 */
final class JobQueries {

    /** The account's task cannot answer on this instance now (rebalance, restoring, not here). */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final KafkaStreams streams;
    private final JobStateStore jobs;

    JobQueries(KafkaStreams streams, JobStateStore jobs) {
        this.streams = streams;
        this.jobs = jobs;
    }

    /** The job's latest control-plane state, or null. */
    JobState job(String jobKey) {
        VersionedRecord<JobState> r = jobRecord(jobKey);
        return r == null ? null : r.value();
    }

    /** The same with the time it took effect (the job-state record's timestamp), or null. */
    VersionedRecord<JobState> jobRecord(String jobKey) {
        try {
            return jobs.latest(jobKey);
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the job store is not available: " + e.getMessage());
        }
    }

    AccountPolicies policies(int partition, boolean active, String accountId) {
        VersionedRecord<AccountPolicies> r = query(OrchestratorTopology.POLICIES_STORE, partition, active,
                VersionedKeyQuery.<String, AccountPolicies>withKey(accountId));
        return r == null ? null : r.value();
    }

    JobObservation observation(int partition, boolean active, String jobKey) {
        VersionedRecord<JobObservation> r = query(JobLookup.OBSERVATIONS_STORE, partition, active,
                VersionedKeyQuery.<String, JobObservation>withKey(jobKey));
        return r == null ? null : r.value();
    }

    PendingStop pendingStop(int partition, boolean active, String jobKey) {
        return query(PendingStops.STORE, partition, active, KeyQuery.<String, PendingStop>withKey(jobKey));
    }

    private <R> R query(String store, int partition, boolean active, Query<R> query) {
        StateQueryRequest<R> request = StateQueryRequest.inStore(store).withQuery(query).withPartitions(Set.of(partition));
        QueryResult<R> result;
        try {
            result = streams.query(active ? request.requireActive() : request).getPartitionResults().get(partition);
        } catch (RuntimeException e) {
            throw new Unavailable("the account's state cannot be queried now: " + e.getMessage());
        }
        if (result == null || result.isFailure()) {
            throw new Unavailable("the account's state is not on this instance now"
                    + (result == null ? "" : " (" + result.getFailureReason() + ")"));
        }
        return result.getResult();
    }
}
