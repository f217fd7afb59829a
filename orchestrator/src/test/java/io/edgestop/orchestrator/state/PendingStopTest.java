package io.edgestop.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.serde.RecordDecodingException;

class PendingStopTest {

    static final PendingStop STOP = new PendingStop("r1", "1000", "edge-1", "job-1", null, 2, 1_000L, 31_000L,
            List.of(new PendingStop.Joiner("r2", "adapter-a", null), new PendingStop.Joiner("r3", null, null)), null);

    static final PendingStop TRACED = new PendingStop("r1", "1000", "edge-1", "job-1", null, 2, 1_000L, 31_000L,
            List.of(new PendingStop.Joiner("r2", "adapter-a", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    final Serde<PendingStop> serde = PendingStop.serde();

    @Test
    void theStoreFormatRoundTrips() {
        byte[] bytes = serde.serializer().serialize(PendingStops.STORE, STOP);
        assertEquals((byte) 0xC3, bytes[0], "Avro single-object encoded (PendingStopEntry)");
        assertEquals(STOP, serde.deserializer().deserialize(PendingStops.STORE, bytes));
        assertEquals(TRACED, serde.deserializer().deserialize(PendingStops.STORE,
                serde.serializer().serialize(PendingStops.STORE, TRACED)), "with the requests' traceparents");
    }

    @Test
    void thePreviousFormatIsStillRead() throws IOException {
        // before PendingStopEntry: version byte 1, then the fields in order (strings as present flag + UTF)
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            for (String s : new String[] {"r1", "1000", "edge-1", "job-1", null}) {
                string(out, s);
            }
            out.writeInt(2);
            out.writeLong(1_000L);
            out.writeLong(31_000L);
            out.writeInt(2);
            string(out, "r2");
            string(out, "adapter-a");
            string(out, "r3");
            string(out, null);
        }
        assertEquals(STOP, serde.deserializer().deserialize(PendingStops.STORE, bytes.toByteArray()));
    }

    @Test
    void anUnknownFormatIsAClearDecodingError() {
        assertThrows(RecordDecodingException.class,
                () -> serde.deserializer().deserialize(PendingStops.STORE, new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}));
        assertThrows(RecordDecodingException.class,
                () -> serde.deserializer().deserialize(PendingStops.STORE, new byte[] {1, 1}), "truncated previous format");
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }
}
