package io.edgestop.orchestrator;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stops in flight of a job-keyed task: {@code clusterId/jobId -> PendingStop}, plus an index
 * ordered by deadline ({@link TimeIndexKey}: deadline + job key) so that the deadline check
 * reads only the stops that are due, however many are in flight.
 */
final class PendingStops {

    static final String STORE = "pending-stops";
    static final String DEADLINE_INDEX = "pending-stop-deadlines";
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<String, PendingStop> stops;
    private final KeyValueStore<Bytes, byte[]> deadlines;

    private PendingStops(KeyValueStore<String, PendingStop> stops, KeyValueStore<Bytes, byte[]> deadlines) {
        this.stops = stops;
        this.deadlines = deadlines;
    }

    static PendingStops of(ProcessorContext<?, ?> context) {
        return new PendingStops(context.getStateStore(STORE), context.getStateStore(DEADLINE_INDEX));
    }

    PendingStop get(String jobKey) {
        return stops.get(jobKey);
    }

    /**
     * Opens or updates the pending stop of a job, keeping the deadline index in step. {@code previous}
     * is what {@link #get} returned for the job (null when none): every caller has just read it, so
     * it is passed in rather than read again.
     */
    void put(String jobKey, PendingStop previous, PendingStop stop) {
        if (previous != null && previous.deadline() != stop.deadline()) {
            deadlines.delete(TimeIndexKey.of(previous.deadline(), jobKey));
        }
        stops.put(jobKey, stop);
        deadlines.put(TimeIndexKey.of(stop.deadline(), jobKey), EMPTY);
    }

    /** Closes the pending stop of a job; {@code current} is what {@link #get} returned for it. */
    void remove(String jobKey, PendingStop current) {
        if (current != null) {
            deadlines.delete(TimeIndexKey.of(current.deadline(), jobKey));
        }
        stops.delete(jobKey);
    }

    /** Job keys whose stop has a deadline at or before {@code streamTime}, earliest deadline first. */
    List<String> due(long streamTime) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(TimeIndexKey.of(0, ""), TimeIndexKey.of(streamTime + 1, ""))) {
            while (it.hasNext()) {
                Bytes k = it.next().key;
                if (TimeIndexKey.time(k) <= streamTime) {
                    keys.add(TimeIndexKey.key(k));
                }
            }
        }
        return keys;
    }
}
