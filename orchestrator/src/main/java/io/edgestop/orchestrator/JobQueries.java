package io.edgestop.orchestrator;

import java.util.List;
import java.util.Set;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;

/**
 * Reads of the orchestrator's own state through Kafka Streams interactive queries, never a copy:
 * the job-states global store (every instance holds it; interactive queries v1 with a store type
 * for versioned stores, which v2 does not serve for global stores) and the account task's stores
 * (v2, on the account's partition: its active task, or a standby when {@code active} is false).
 */
final class JobQueries {

    /** The latest version of each key of a versioned store (a global store is handed over as it is). */
    private static final QueryableStoreType<VersionedKeyValueStore<String, JobState>> VERSIONED = new QueryableStoreType<>() {
        @Override
        public boolean accepts(StateStore store) {
            return store instanceof VersionedKeyValueStore;
        }

        @Override
        public VersionedKeyValueStore<String, JobState> create(StateStoreProvider provider, String storeName) {
            List<VersionedKeyValueStore<String, JobState>> stores = provider.stores(storeName, this);
            if (stores.isEmpty()) {
                throw new InvalidStateStoreException("the store " + storeName + " is not available");
            }
            return stores.get(0);
        }
    };

    /** The account's task cannot answer on this instance now (rebalance, restoring, not here). */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final KafkaStreams streams;

    JobQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The job's latest control-plane state, or null. */
    JobState job(String jobKey) {
        VersionedRecord<JobState> r = jobRecord(jobKey);
        return r == null ? null : r.value();
    }

    /** The same with the time it took effect (the job-state record's timestamp), or null. */
    VersionedRecord<JobState> jobRecord(String jobKey) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(JobLookup.JOBS_STORE, VERSIONED)).get(jobKey);
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
