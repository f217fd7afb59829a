package io.edgestop.orchestrator;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A stop in flight for one job (state store value, key clusterId/jobId): the request that caused
 * it, its current directive attempt and deadline, and the requests that joined it.
 */
record PendingStop(String requestId, String accountId, String clusterId, String jobId, String replyTo,
                   int attempt, long issuedAt, long deadline, List<Joiner> joiners) {

    /** Cap on remembered joiners per pending stop (further repeats still get ACCEPTED, but no completion event). */
    static final int MAX_JOINERS = 100;

    /** A later request for the same job that joined this stop. */
    record Joiner(String requestId, String replyTo) {
    }

    PendingStop {
        joiners = List.copyOf(joiners);
    }

    String directiveId() {
        return directiveId(requestId, attempt);
    }

    static String directiveId(String requestId, int attempt) {
        return requestId + "#" + attempt;
    }

    PendingStop withJoiner(String joinerRequestId, String joinerReplyTo) {
        if (joiners.size() >= MAX_JOINERS) {
            return this;
        }
        List<Joiner> more = new ArrayList<>(joiners);
        more.add(new Joiner(joinerRequestId, joinerReplyTo));
        return new PendingStop(requestId, accountId, clusterId, jobId, replyTo, attempt, issuedAt, deadline, more);
    }

    PendingStop nextAttempt(long deadlineMs) {
        return new PendingStop(requestId, accountId, clusterId, jobId, replyTo, attempt + 1, deadline,
                deadline + deadlineMs, joiners);
    }

    static Serde<PendingStop> serde() {
        Serializer<PendingStop> ser = (topic, p) -> p == null ? null : Bin.write(out -> {
            out.writeByte(1);
            Bin.string(out, p.requestId());
            Bin.string(out, p.accountId());
            Bin.string(out, p.clusterId());
            Bin.string(out, p.jobId());
            Bin.string(out, p.replyTo());
            out.writeInt(p.attempt());
            out.writeLong(p.issuedAt());
            out.writeLong(p.deadline());
            out.writeInt(p.joiners().size());
            for (Joiner j : p.joiners()) {
                Bin.string(out, j.requestId());
                Bin.string(out, j.replyTo());
            }
        });
        Deserializer<PendingStop> de = (topic, data) -> Bin.read(data, in -> {
            in.readByte();
            String requestId = Bin.string(in);
            String accountId = Bin.string(in);
            String clusterId = Bin.string(in);
            String jobId = Bin.string(in);
            String replyTo = Bin.string(in);
            int attempt = in.readInt();
            long issuedAt = in.readLong();
            long deadline = in.readLong();
            int n = in.readInt();
            List<Joiner> joiners = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                joiners.add(new Joiner(Bin.string(in), Bin.string(in)));
            }
            return new PendingStop(requestId, accountId, clusterId, jobId, replyTo, attempt, issuedAt, deadline, joiners);
        });
        return Serdes.serdeFrom(ser, de);
    }
}
