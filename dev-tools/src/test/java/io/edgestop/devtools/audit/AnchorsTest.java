package io.edgestop.devtools.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.orchestrator.topology.AuditChain;
import io.edgestop.orchestrator.topology.CheckpointKey;
import io.edgestop.schema.AuditCheckpoint;

/** The checkpoints an auditor keeps between runs: written, read back as they were, and trusted only when signed. */
class AnchorsTest {

    @Test
    void savedCheckpointsReadBackAsTheyWere(@TempDir Path dir) throws Exception {
        KeyPair key = key();
        List<AuditCheckpoint> saved = List.of(signed(key, 1, 40), signed(key, 0, 1000));
        Path file = dir.resolve("trusted.checkpoints");
        Anchors.write(file, saved, Instant.parse("2026-12-06T17:00:00Z"));
        List<AuditCheckpoint> read = Anchors.parse(List.of(file.toString())).checkpoints();
        assertEquals(List.of(saved.get(1), saved.get(0)), read); // by chain
        assertTrue(Files.readString(file).contains("chain=0 position=1000 headHash="), Files.readString(file));
        assertEquals(read, Anchors.resolve(Anchors.parse(List.of(file.toString())), List.of(), List.of(key.getPublic())));
    }

    @Test
    void anEditedLineIsRefusedByItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trusted.checkpoints");
        Anchors.write(file, List.of(signed(key(), 0, 1000)), Instant.EPOCH);
        Files.writeString(file, Files.readString(file).replace("position=1000", "position=2000"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Anchors.parse(List.of(file.toString())));
        assertTrue(e.getMessage().endsWith("line 3 is not a checkpoint written by --save-checkpoints (or its readable fields do not"
                + " match it)"), e.getMessage());
    }

    @Test
    void aReferenceNamesACheckpointOnTheTopicSignedByAPublishedKey() throws Exception {
        KeyPair key = key();
        AuditCheckpoint onTopic = signed(key, 2, 300);
        List<ChainCheck.Checkpoint> read = List.of(new ChainCheck.Checkpoint(2, 7, onTopic));
        assertEquals(List.of(onTopic), Anchors.resolve(Anchors.parse(List.of("2:300")), read, List.of(key.getPublic())));
        assertEquals("no checkpoint of chain 2 at position 301 on the checkpoint topic", assertThrows(Anchors.NotTrusted.class,
                () -> Anchors.resolve(Anchors.parse(List.of("2:301")), read, List.of())).getMessage());
        assertTrue(assertThrows(Anchors.NotTrusted.class, () -> Anchors.resolve(Anchors.parse(List.of("2:300")), read,
                List.of(key().getPublic()))).getMessage().startsWith("the checkpoint of chain 2 at position 300 to start from is not"
                + " signed by a published key given"));
    }

    @Test
    void twoCheckpointsForOneChainAreRefused() throws Exception {
        KeyPair key = key();
        List<ChainCheck.Checkpoint> read = List.of(new ChainCheck.Checkpoint(0, 0, signed(key, 0, 10)),
                new ChainCheck.Checkpoint(0, 1, signed(key, 0, 20)));
        assertEquals("two checkpoints to start from for chain 0", assertThrows(Anchors.NotTrusted.class,
                () -> Anchors.resolve(Anchors.parse(List.of("0:10", "0:20")), read, List.of())).getMessage());
    }

    private static KeyPair key() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** A checkpoint of {@code chain} at {@code position} signed as the orchestrator signs it. */
    private static AuditCheckpoint signed(KeyPair key, int chain, long position) throws Exception {
        AuditCheckpoint c = AuditCheckpoint.newBuilder().setChain(chain).setSequence(position)
                .setHeadHash(ByteBuffer.wrap(new byte[32])).setPreviousSequence(0).setEventTime(Instant.ofEpochMilli(position))
                .setKeyId(CheckpointKey.idOf(key.getPublic())).setSignature(null).build();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(AuditChain.signedBytes(c));
        c.setSignature(ByteBuffer.wrap(s.sign()));
        return c;
    }
}
