package io.edgestop.orchestrator.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.edgestop.schema.AuditChainHead;
import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.evolution.SchemaHistory;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.TopicContract;

/**
 * The audit hash chain of a deciding task (docs/audit.md, "The hash chain"). Every audit record
 * the task writes passes here, after the decider, and leaves with its chain (the task's
 * partition), its position, the hash of the chain's previous record and its own hash; the head
 * is kept in the {@code audit-chain} store. Store and audit record are written in the task's
 * exactly-once transaction, so after a restart or a rebalance the task continues from the head
 * of what was committed, and a replay from empty state writes the same hashes. With the
 * deployment's key it also writes signed checkpoints of the head (same transaction). The other
 * outputs pass through unchanged.
 */
public final class AuditChain implements Processor<String, Emit, String, Emit> {

    static final String STORE = TopicContract.AUDIT_CHAIN.streamsName();
    /** previousHash of a chain's first record. */
    public static final byte[] GENESIS = new byte[32];

    private final CheckpointKey signingKey;
    private final long checkpointRecords;
    private final long checkpointIntervalMs;
    private ProcessorContext<String, Emit> context;
    private KeyValueStore<String, AuditChainHead> heads;
    private String key;
    private int chain;
    private AuditChainHead head;
    private final Canonical canonical = new Canonical();

    /** A chain with signed checkpoints every {@code checkpointRecords} records or {@code checkpointIntervalMs} of stream time; none without a key. */
    AuditChain(CheckpointKey signingKey, long checkpointRecords, long checkpointIntervalMs) {
        this.signingKey = signingKey;
        this.checkpointRecords = checkpointRecords;
        this.checkpointIntervalMs = checkpointIntervalMs;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        this.heads = context.getStateStore(STORE);
        this.chain = context.taskId().partition();
        this.key = Integer.toString(chain);
        this.head = heads.get(key); // restored before init
        if (signingKey != null) {
            context.schedule(java.time.Duration.ofMillis(Math.max(1000, checkpointIntervalMs / 10)),
                    org.apache.kafka.streams.processor.PunctuationType.STREAM_TIME, this::checkpointIfDue);
        }
    }

    @Override
    public void process(Record<String, Emit> record) {
        if (!(record.value() instanceof Emit.Audit audit)) {
            context.forward(record);
            return;
        }
        AuditRecord r = audit.value();
        long sequence = head == null ? 1 : head.getSequence() + 1;
        r.setChain(chain);
        r.setChainSequence(sequence);
        r.setPreviousHash(ByteBuffer.wrap(head == null ? GENESIS : bytes(head.getHash())));
        Emit.ChainedAudit chained = canonical.seal(r);
        byte[] hash = bytes(r.getRecordHash());
        head = new AuditChainHead(sequence, ByteBuffer.wrap(hash), head == null ? 0 : head.getCheckpointed(),
                head == null ? java.time.Instant.ofEpochMilli(record.timestamp()) : head.getCheckpointTime());
        heads.put(key, head);
        context.forward(record.withValue(chained));
        if (signingKey != null && sequence - head.getCheckpointed() >= checkpointRecords) {
            checkpoint(record.timestamp());
        }
    }

    /** Stream-time punctuation: a checkpoint when records came since the last one and the interval has passed. */
    private void checkpointIfDue(long streamTime) {
        if (head != null && head.getSequence() > head.getCheckpointed()
                && streamTime - head.getCheckpointTime().toEpochMilli() >= checkpointIntervalMs) {
            checkpoint(streamTime);
        }
    }

    private void checkpoint(long at) {
        AuditCheckpoint c = AuditCheckpoint.newBuilder().setChain(chain).setSequence(head.getSequence()).setHeadHash(head.getHash())
                .setPreviousSequence(head.getCheckpointed()).setEventTime(java.time.Instant.ofEpochMilli(at))
                .setKeyId(signingKey.id()).setSignature(null).build();
        c.setSignature(ByteBuffer.wrap(signingKey.sign(signedBytes(c))));
        head = new AuditChainHead(head.getSequence(), head.getHash(), head.getSequence(), java.time.Instant.ofEpochMilli(at));
        heads.put(key, head);
        context.forward(new Record<>(key, new Emit.Checkpoint(c), at));
    }

    /** What a checkpoint's signature covers: its Avro binary encoding with the signature null. */
    public static byte[] signedBytes(AuditCheckpoint checkpoint) {
        AuditCheckpoint unsigned = AuditCheckpoint.newBuilder(checkpoint).setSignature(null).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(AuditCheckpoint.class).write(unsigned, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Sends each checkpoint to the partition of its chain, beside the chain's audit records. */
    static StreamPartitioner<String, AuditCheckpoint> checkpointPartitioner() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, String key, AuditCheckpoint value, int numPartitions) {
                return Optional.of(Set.of(value.getChain() % numPartitions));
            }
        };
    }

    /** Sends each audit record to the partition of its chain, so every audit partition has one writer (the task of that chain). */
    static StreamPartitioner<String, Emit.ChainedAudit> partitioner() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, String key, Emit.ChainedAudit value, int numPartitions) {
                return Optional.of(Set.of(value.record().getChain() % numPartitions));
            }
        };
    }

    /**
     * The audit sink's serde: writes the bytes {@link Canonical#seal} made (the audit topic's format,
     * {@code AvroSerdes.auditRecord()}), so a record is encoded once for its hash and its topic; reads
     * them back with that format.
     */
    static Serde<Emit.ChainedAudit> sealedSerde() {
        AvroSerde<AuditRecord> format = AvroSerdes.auditRecord();
        return Serdes.serdeFrom((topic, sealed) -> sealed == null ? null : sealed.written(),
                (topic, data) -> data == null ? null : new Emit.ChainedAudit(format.deserialize(topic, data), data));
    }

    /**
     * The hash of an audit record as written ({@code value}: its single-object encoding): SHA-256 of its
     * Avro binary encoding under the schema version that wrote it, with {@code recordHash} null. Null when
     * that version has no chain fields (a record from before the chain existed).
     *
     * @throws IllegalArgumentException when the value is not a released version of AuditRecord
     */
    public static byte[] hashOfWritten(byte[] value) {
        if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            throw new IllegalArgumentException("not Avro single-object encoded");
        }
        long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = WRITERS.stream().filter(s -> SchemaNormalization.parsingFingerprint64(s) == fingerprint).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("writer schema is not a released version of AuditRecord"));
        if (writer.getField("recordHash") == null) {
            return null;
        }
        try {
            GenericRecord r = new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null));
            r.put("recordHash", null);
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(r, encoder);
            encoder.flush();
            return sha256().digest(out.toByteArray());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt AuditRecord body (" + e + ")", e);
        }
    }

    private static final List<Schema> WRITERS = SchemaHistory.releasedVersions(AuditRecord.getClassSchema().getName());

    /**
     * Encodes each record once, for its hash and for the audit topic (one per task, reusing its digest):
     * the record's single-object encoding with {@code recordHash} null is the Avro binary encoding the
     * hash covers after the 10-byte header, and ends with that null, one byte (union branch 0), as
     * {@code recordHash} is the schema's last field. The written record replaces that byte with branch 1
     * and the 32 bytes of the hash (length 32, zig-zag 64).
     */
    private static final class Canonical {
        private static final int HEADER = 10;
        private static final int NULL_BRANCH = 0x00;
        private static final byte BYTES_BRANCH = 0x02;
        private static final byte LENGTH_32 = 0x40;

        static {
            List<Schema.Field> fields = AuditRecord.getClassSchema().getFields();
            Schema.Field last = fields.get(fields.size() - 1);
            if (!last.name().equals("recordHash") || !last.schema().getTypes().get(0).getType().equals(Schema.Type.NULL)) {
                throw new IllegalStateException("AuditRecord's last field must be recordHash, union [null, bytes]");
            }
        }

        private final AvroSerde<AuditRecord> format = AvroSerdes.auditRecord();
        private final MessageDigest sha256 = sha256();

        /** Sets the record's {@code recordHash} and returns it with the bytes the audit topic gets. */
        Emit.ChainedAudit seal(AuditRecord r) {
            r.setRecordHash(null);
            byte[] unsealed = format.serialize("audit", r);
            int end = unsealed.length - 1;
            if (unsealed[end] != NULL_BRANCH) {
                throw new IllegalStateException("an AuditRecord encoding that does not end with a null recordHash");
            }
            sha256.update(unsealed, HEADER, unsealed.length - HEADER);
            byte[] hash = sha256.digest();
            byte[] written = Arrays.copyOf(unsealed, end + 2 + hash.length);
            written[end] = BYTES_BRANCH;
            written[end + 1] = LENGTH_32;
            System.arraycopy(hash, 0, written, end + 2, hash.length);
            r.setRecordHash(ByteBuffer.wrap(hash));
            return new Emit.ChainedAudit(r, written);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The bytes of an Avro {@code bytes} value, without moving its position. */
    public static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
