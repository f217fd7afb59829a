package io.edgestop.schema.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import io.edgestop.schema.SampleRecords;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;

class AvroSerdeTest {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTopicRecordRoundTrips() {
        for (SpecificRecord record : SampleRecords.all()) {
            AvroSerde serde = new AvroSerde(record.getClass());
            byte[] bytes = serde.serialize("t", record);
            assertEquals((byte) 0xC3, bytes[0], "single-object marker");
            assertEquals((byte) 0x01, bytes[1], "single-object marker");
            assertEquals(record, serde.deserialize("t", bytes), record.getClass().getSimpleName());
        }
    }

    @Test
    void tombstonesPassThrough() {
        AvroSerde<StopCommand> serde = AvroSerdes.stopCommand();
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void randomBytesNameTheTopicAndTheReason() {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerdes.stopCommand().deserialize("edgestop.stop-commands", garbage));
        assertEquals("edgestop.stop-commands", e.topic());
        assertTrue(e.getMessage().contains("edgestop.stop-commands"), e.getMessage());
        assertTrue(e.getMessage().contains("not Avro single-object encoded"), e.getMessage());
    }

    @Test
    void shortAndEmptyMessagesAreRejectedClearly() {
        for (byte[] data : List.of(new byte[0], new byte[] {(byte) 0xC3, 0x01, 1, 2})) {
            RecordDecodingException e = assertThrows(RecordDecodingException.class,
                    () -> AvroSerdes.stopCommand().deserialize("cmds", data));
            assertTrue(e.getMessage().contains("too short"), e.getMessage());
        }
    }

    @Test
    void aValidRecordOfAnotherSchemaIsRejected() {
        byte[] result = AvroSerdes.stopResult().serialize("t", SampleRecords.stopResult());
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerdes.stopCommand().deserialize("cmds", result));
        assertTrue(e.getMessage().contains("writer schema is not a released version of StopCommand"), e.getMessage());
    }

    @Test
    void aTruncatedBodyIsRejected() {
        byte[] whole = AvroSerdes.auditRecord().serialize("t", SampleRecords.auditRecord());
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerdes.auditRecord().deserialize("audit", cut));
        assertTrue(e.getMessage().contains("corrupt record body"), e.getMessage());
    }

    /**
     * An older StopCommand without replyTo and secureTransport (as a producer built before those
     * fields would write it) is read by the current class, the new fields taking their defaults.
     */
    @Test
    void aRecordWrittenWithAnOlderSchemaIsReadWithTheCurrentClass() throws Exception {
        Schema older = SchemaBuilder.record("StopCommand").namespace("io.edgestop.schema").fields()
                .optionalString("requestId")
                .optionalString("accountId")
                .optionalString("principal")
                .optionalString("accessKeyId")
                .optionalString("sourceIp")
                .name("requestTime").type(org.apache.avro.LogicalTypes.timestampMillis()
                        .addToSchema(Schema.create(Schema.Type.LONG))).withDefault(0L)
                .optionalString("clusterId")
                .optionalString("jobId")
                .endRecord();
        GenericRecord old = new GenericData.Record(older);
        old.put("requestId", "req-old");
        old.put("accountId", "42");
        old.put("clusterId", "c1");
        old.put("jobId", "j1");
        old.put("requestTime", 1_700_000_000_000L);
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        // Without the older schema known, the bytes are refused...
        assertThrows(RecordDecodingException.class, () -> AvroSerdes.stopCommand().deserialize("cmds", bytes));
        // ...and once it is a kept version, they resolve to the current class.
        AvroSerde<StopCommand> serde = new AvroSerde<>(StopCommand.class, List.of(older));
        StopCommand read = serde.deserialize("cmds", bytes);
        assertEquals("req-old", read.getRequestId());
        assertEquals("j1", read.getJobId());
        assertEquals(1_700_000_000_000L, read.getRequestTime().toEpochMilli());
        assertFalse(read.getSecureTransport());
        assertNull(read.getReplyTo());
    }

    @Test
    void encodingIsDeterministic() {
        StopResult r = SampleRecords.stopResult();
        assertArrayEquals(AvroSerdes.stopResult().serialize("a", r), AvroSerdes.stopResult().serialize("b", r));
    }
}
