package io.edgestop.orchestrator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.edgestop.schema.AuditChainHead;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.evolution.SchemaHistory;
import io.edgestop.topics.TopicContract;

/**
 * The audit hash chain of a deciding task (docs/audit.md, "The hash chain"). Every audit record
 * the task writes passes here, after the decider, and leaves with its chain (the task's
 * partition), its position, the hash of the chain's previous record and its own hash; the head
 * is kept in the {@code audit-chain} store. Store and audit record are written in the task's
 * exactly-once transaction, so after a restart or a rebalance the task continues from the head
 * of what was committed, and a replay from empty state writes the same hashes. The other outputs
 * pass through unchanged.
 */
public final class AuditChain implements Processor<String, Emit, String, Emit> {

    static final String STORE = TopicContract.AUDIT_CHAIN.streamsName();
    /** previousHash of a chain's first record. */
    public static final byte[] GENESIS = new byte[32];

    private ProcessorContext<String, Emit> context;
    private KeyValueStore<String, AuditChainHead> heads;
    private String key;
    private int chain;
    private long sequence;
    private byte[] last;
    private final Canonical canonical = new Canonical();

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        this.heads = context.getStateStore(STORE);
        this.chain = context.taskId().partition();
        this.key = Integer.toString(chain);
        AuditChainHead head = heads.get(key); // restored before init
        this.sequence = head == null ? 0 : head.getSequence();
        this.last = head == null ? GENESIS : bytes(head.getHash());
    }

    @Override
    public void process(Record<String, Emit> record) {
        if (record.value() instanceof Emit.Audit audit) {
            AuditRecord r = audit.value();
            r.setChain(chain);
            r.setChainSequence(sequence + 1);
            r.setPreviousHash(ByteBuffer.wrap(last));
            r.setRecordHash(null);
            byte[] hash = canonical.hash(r);
            r.setRecordHash(ByteBuffer.wrap(hash));
            sequence++;
            last = hash;
            heads.put(key, new AuditChainHead(sequence, ByteBuffer.wrap(hash)));
        }
        context.forward(record);
    }

    /** Sends each audit record to the partition of its chain, so every audit partition has one writer (the task of that chain). */
    static StreamPartitioner<String, AuditRecord> partitioner() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, String key, AuditRecord value, int numPartitions) {
                return value == null || value.getChain() == null ? Optional.empty() : Optional.of(Set.of(value.getChain() % numPartitions));
            }
        };
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

    /** The canonical encoding of records of the current schema, with reused buffers (one per task). */
    private static final class Canonical {
        private final SpecificDatumWriter<AuditRecord> writer = new SpecificDatumWriter<>(AuditRecord.class);
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private final MessageDigest sha256 = sha256();
        private BinaryEncoder encoder;

        byte[] hash(AuditRecord r) {
            out.reset();
            encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
            try {
                writer.write(r, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return sha256.digest(out.toByteArray());
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
