package io.edgestop.orchestrator.state;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.edgestop.schema.PendingStopEntry;
import io.edgestop.schema.PendingStopJoiner;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.schema.serde.RecordDecodingException;

/**
 * A stop in flight for one job (state store value, key clusterId/jobId): the request that caused
 * it, its current directive attempt and deadline, and the requests that joined it. Each request's
 * {@code traceparent} (null when none) is kept for the records the punctuator emits, which have no
 * input record to take it from.
 */
public record PendingStop(String requestId, String accountId, String clusterId, String jobId, String replyTo,
                          int attempt, long issuedAt, long deadline, List<Joiner> joiners, String traceparent) {

    /** Cap on remembered joiners per pending stop (further repeats still get ACCEPTED, but no completion event). */
    static final int MAX_JOINERS = 100;

    /** A later request for the same job that joined this stop. */
    public record Joiner(String requestId, String replyTo, String traceparent) {
    }

    public PendingStop {
        joiners = List.copyOf(joiners);
    }

    public String directiveId() {
        return directiveId(requestId, attempt);
    }

    public static String directiveId(String requestId, int attempt) {
        return requestId + "#" + attempt;
    }

    public PendingStop withJoiner(String joinerRequestId, String joinerReplyTo, String joinerTraceparent) {
        if (joiners.size() >= MAX_JOINERS) {
            return this;
        }
        List<Joiner> more = new ArrayList<>(joiners);
        more.add(new Joiner(joinerRequestId, joinerReplyTo, joinerTraceparent));
        return new PendingStop(requestId, accountId, clusterId, jobId, replyTo, attempt, issuedAt, deadline, more,
                traceparent);
    }

    public PendingStop nextAttempt(long deadlineMs) {
        return new PendingStop(requestId, accountId, clusterId, jobId, replyTo, attempt + 1, deadline,
                deadline + deadlineMs, joiners, traceparent);
    }

    /**
     * The store format: {@link PendingStopEntry}, Avro under the evolution gate. Also reads the format
     * before it (version byte 1, then the fields in order with {@code DataOutput}), which stores kept by
     * earlier builds still hold.
     */
    public static Serde<PendingStop> serde() {
        AvroSerde<PendingStopEntry> avro = AvroSerdes.pendingStopEntry();
        Serializer<PendingStop> ser = (topic, p) -> p == null ? null : avro.serialize(topic, p.toEntry());
        Deserializer<PendingStop> de = (topic, data) -> {
            if (data != null && data.length > 0 && data[0] == LEGACY_FORMAT) {
                return readLegacy(data);
            }
            PendingStopEntry e = avro.deserialize(topic, data);
            return e == null ? null : fromEntry(e);
        };
        return Serdes.serdeFrom(ser, de);
    }

    /** First byte of the format before {@link PendingStopEntry} (Avro single-object encoding starts with C3). */
    static final byte LEGACY_FORMAT = 1;

    PendingStopEntry toEntry() {
        List<PendingStopJoiner> js = new ArrayList<>(joiners.size());
        joiners.forEach(j -> js.add(new PendingStopJoiner(j.requestId(), j.replyTo(), j.traceparent())));
        return new PendingStopEntry(requestId, accountId, clusterId, jobId, replyTo, attempt,
                Instant.ofEpochMilli(issuedAt), Instant.ofEpochMilli(deadline), js, traceparent);
    }

    static PendingStop fromEntry(PendingStopEntry e) {
        List<Joiner> js = new ArrayList<>(e.getJoiners().size());
        e.getJoiners().forEach(j -> js.add(new Joiner(j.getRequestId(), j.getReplyTo(), j.getTraceparent())));
        return new PendingStop(e.getRequestId(), e.getAccountId(), e.getClusterId(), e.getJobId(), e.getReplyTo(),
                e.getAttempt(), e.getIssuedAt().toEpochMilli(), e.getDeadline().toEpochMilli(), js, e.getTraceparent());
    }

    private static PendingStop readLegacy(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            String requestId = legacyString(in);
            String accountId = legacyString(in);
            String clusterId = legacyString(in);
            String jobId = legacyString(in);
            String replyTo = legacyString(in);
            int attempt = in.readInt();
            long issuedAt = in.readLong();
            long deadline = in.readLong();
            int n = in.readInt();
            List<Joiner> joiners = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                joiners.add(new Joiner(legacyString(in), legacyString(in), null));
            }
            return new PendingStop(requestId, accountId, clusterId, jobId, replyTo, attempt, issuedAt, deadline, joiners,
                    null);
        } catch (IOException e) {
            throw new RecordDecodingException(PendingStops.STORE, "PendingStop", "corrupt legacy pending stop (" + e + ")", e);
        }
    }

    private static String legacyString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
