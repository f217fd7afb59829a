package io.edgestop.orchestrator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.edgestop.topics.TopicContract;

/**
 * The stops in flight of the account's task: {@code clusterId/jobId -> PendingStop}, one
 * changelogged store. The deadline order the redelivery needs is kept in memory only: it is
 * derived state, rebuilt from the store when the task starts (Kafka Streams initialises a
 * processor after its stores are restored), so it costs no record per stop.
 */
public final class PendingStops {

    public static final String STORE = TopicContract.PENDING_STOPS.streamsName();

    private record Due(long deadline, String jobKey) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : jobKey.compareTo(o.jobKey);
        }
    }

    private final KeyValueStore<String, PendingStop> stops;
    private final TreeSet<Due> byDeadline = new TreeSet<>();

    private PendingStops(KeyValueStore<String, PendingStop> stops) {
        this.stops = stops;
        try (KeyValueIterator<String, PendingStop> it = stops.all()) {
            it.forEachRemaining(kv -> byDeadline.add(new Due(kv.value.deadline(), kv.key)));
        }
    }

    public static PendingStops of(ProcessorContext<?, ?> context) {
        return new PendingStops(context.getStateStore(STORE));
    }

    public PendingStop get(String jobKey) {
        return stops.get(jobKey);
    }

    /**
     * Opens or updates the pending stop of a job. {@code previous} is what {@link #get} returned for
     * the job (null when none): every caller has just read it, so it is passed in rather than read again.
     */
    public void put(String jobKey, PendingStop previous, PendingStop stop) {
        if (previous != null) {
            byDeadline.remove(new Due(previous.deadline(), jobKey));
        }
        stops.put(jobKey, stop);
        byDeadline.add(new Due(stop.deadline(), jobKey));
    }

    /** Closes the pending stop of a job; {@code current} is what {@link #get} returned for it. */
    public void remove(String jobKey, PendingStop current) {
        byDeadline.remove(new Due(current.deadline(), jobKey));
        stops.delete(jobKey);
    }

    /** The number of stops in flight in the task. */
    public int size() {
        return byDeadline.size();
    }

    /** Job keys whose stop has a deadline at or before {@code streamTime}, earliest deadline first. */
    public List<String> due(long streamTime) {
        List<String> keys = new ArrayList<>();
        for (Due d : byDeadline) {
            if (d.deadline() > streamTime) {
                break;
            }
            keys.add(d.jobKey());
        }
        return keys;
    }
}
