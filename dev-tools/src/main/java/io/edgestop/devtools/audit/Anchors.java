package io.edgestop.devtools.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.edgestop.orchestrator.topology.AuditChain;
import io.edgestop.orchestrator.topology.CheckpointKey;
import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * The checkpoints an auditor trusts, to verify a retained window of the audit stream from them
 * ({@code audit verify --from-checkpoint}, docs/audit.md "Verifying from a checkpoint"): the signed
 * checkpoints themselves, as a file {@code audit verify --save-checkpoints} writes after a run in
 * which the chains held, or {@code CHAIN:POSITION} naming one on the checkpoint topic. A checkpoint
 * in the file is its Avro single-object encoding (the released AuditCheckpoint schema, as on the
 * topic), so its signature can be checked again when the file is read back.
 */
public final class Anchors {

    /** {@code chain=0 position=1000 headHash=<hex> time=<ISO> checkpoint=<base64>}: the readable fields, then the checkpoint. */
    private static final Pattern LINE = Pattern.compile(
            "chain=(\\d+) position=(\\d+) headHash=([0-9a-f]{64}) time=(\\S+) checkpoint=([A-Za-z0-9+/=]+)");
    private static final Pattern REFERENCE = Pattern.compile("(\\d{1,9}):(\\d{1,18})");

    /** The checkpoint of {@code chain} at {@code position} on the checkpoint topic. */
    public record Reference(int chain, long position) {
    }

    /** What {@code --from-checkpoint} gave: checkpoints read from files, and references to the checkpoint topic. */
    public record Given(List<AuditCheckpoint> checkpoints, List<Reference> references) {
    }

    /** A checkpoint to start from that the topic does not hold, or the published keys do not sign. */
    public static final class NotTrusted extends IllegalArgumentException {
        NotTrusted(String message) {
            super(message);
        }
    }

    private Anchors() {
    }

    /**
     * Parses the {@code --from-checkpoint} values: {@code CHAIN:POSITION}, or a file written by {@code --save-checkpoints}.
     *
     * @throws IllegalArgumentException naming the value that is neither, or the file's line that is not a checkpoint
     */
    public static Given parse(List<String> values) {
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        List<Reference> references = new ArrayList<>();
        for (String v : values) {
            Matcher m = REFERENCE.matcher(v);
            if (m.matches()) {
                references.add(new Reference(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
            } else {
                checkpoints.addAll(read(Path.of(v)));
            }
        }
        return new Given(checkpoints, references);
    }

    /** The checkpoints of a file written by {@link #write}. */
    static List<AuditCheckpoint> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (a file written by --save-checkpoints, or CHAIN:POSITION): "
                    + e.getMessage(), e);
        }
        AvroSerde<AuditCheckpoint> serde = AvroSerdes.auditCheckpoint();
        List<AuditCheckpoint> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            AuditCheckpoint c = null;
            if (m.matches()) {
                try {
                    c = serde.deserialize("", Base64.getDecoder().decode(m.group(5)));
                } catch (RuntimeException e) {
                    c = null;
                }
            }
            if (c == null || c.getChain() != Integer.parseInt(m.group(1)) || c.getSequence() != Long.parseLong(m.group(2))
                    || !HexFormat.of().formatHex(AuditChain.bytes(c.getHeadHash())).equals(m.group(3))) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a checkpoint written by --save-checkpoints"
                        + " (or its readable fields do not match it)");
            }
            out.add(c);
        }
        return out;
    }

    /** Writes {@code checkpoints} (one per chain) to {@code file}, replacing it whole (a temporary file moved over it). */
    public static void write(Path file, Collection<AuditCheckpoint> checkpoints, Instant now) throws IOException {
        AvroSerde<AuditCheckpoint> serde = AvroSerdes.auditCheckpoint();
        StringBuilder text = new StringBuilder("# the last verified checkpoint of each audit chain, written by edge-stop audit verify"
                + " --save-checkpoints at " + now + "\n# keep it; the next run starts from it: edge-stop audit verify --from-checkpoint "
                + file.getFileName() + " (docs/audit.md)\n");
        checkpoints.stream().sorted(java.util.Comparator.comparingInt(AuditCheckpoint::getChain)).forEach(c -> text
                .append("chain=").append(c.getChain()).append(" position=").append(c.getSequence())
                .append(" headHash=").append(HexFormat.of().formatHex(AuditChain.bytes(c.getHeadHash())))
                .append(" time=").append(c.getEventTime())
                .append(" checkpoint=").append(Base64.getEncoder().encodeToString(serde.serialize("", c))).append('\n'));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The checkpoints to start from: those given in files, and those the references name among the
     * checkpoints {@code read} from the topic. With published keys, each must be signed by one of them.
     *
     * @throws NotTrusted for a reference to no checkpoint, a signature that does not hold, or two for one chain
     */
    public static List<AuditCheckpoint> resolve(Given given, List<ChainCheck.Checkpoint> read, List<PublicKey> keys) {
        List<AuditCheckpoint> out = new ArrayList<>(given.checkpoints());
        for (Reference ref : given.references()) {
            out.add(read.stream().map(ChainCheck.Checkpoint::value)
                    .filter(c -> c.getChain() == ref.chain() && c.getSequence() == ref.position()).findFirst()
                    .orElseThrow(() -> new NotTrusted("no checkpoint of chain " + ref.chain() + " at position " + ref.position()
                            + " on the checkpoint topic")));
        }
        Map<String, PublicKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(CheckpointKey.idOf(k), k));
        Map<Integer, AuditCheckpoint> byChain = new HashMap<>();
        for (AuditCheckpoint c : out) {
            String at = "the checkpoint of chain " + c.getChain() + " at position " + c.getSequence();
            if (!keys.isEmpty()) {
                PublicKey key = byId.get(c.getKeyId());
                if (key == null || c.getSignature() == null
                        || !CheckpointKey.verify(key, AuditChain.signedBytes(c), AuditChain.bytes(c.getSignature()))) {
                    throw new NotTrusted(at + " to start from is not signed by "
                            + (key == null ? "a published key given (it names key " + c.getKeyId() + ")" : "key " + c.getKeyId()));
                }
            }
            if (byChain.put(c.getChain(), c) != null) {
                throw new NotTrusted("two checkpoints to start from for chain " + c.getChain());
            }
        }
        return out;
    }
}
