package io.edgestop.orchestrator.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment's Ed25519 key that signs the audit checkpoints (docs/audit.md, "The checkpoint
 * key"). Its file holds the private key (PEM {@code PRIVATE KEY}, PKCS#8) and the public key
 * (PEM {@code PUBLIC KEY}, X.509), as {@link #write} and {@code openssl genpkey -algorithm ed25519}
 * followed by {@code openssl pkey -pubout} write them: the JDK cannot derive an Ed25519 public key
 * from the private one, and the checkpoints name their key by the public key's hash. The private
 * key is a secret: read from the file only, never logged.
 */
public final class CheckpointKey {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String id;

    private CheckpointKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.id = idOf(publicKey);
    }

    /** Reads the key file; checks that its two keys are one pair. */
    public static CheckpointKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the checkpoint key file " + file + ": " + e.getMessage(), e);
        }
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (m.group(1).equals("PRIVATE KEY")) {
                privateDer = der;
            } else if (m.group(1).equals("PUBLIC KEY")) {
                publicDer = der;
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalArgumentException("the checkpoint key file " + file + " must hold an Ed25519 PRIVATE KEY and its"
                    + " PUBLIC KEY in PEM (edge-stop dev writes one; docs/audit.md)");
        }
        try {
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            CheckpointKey key = new CheckpointKey(f.generatePrivate(new PKCS8EncodedKeySpec(privateDer)),
                    f.generatePublic(new X509EncodedKeySpec(publicDer)));
            byte[] probe = "edge-stop checkpoint key".getBytes(StandardCharsets.US_ASCII);
            if (!verify(key.publicKey, probe, key.sign(probe))) {
                throw new IllegalArgumentException("the PUBLIC KEY of " + file + " is not the PRIVATE KEY's");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the checkpoint key file " + file + " holds no Ed25519 key pair (" + e.getMessage() + ")", e);
        }
    }

    /** Makes a new key pair and writes it to {@code file} (owner read/write only where the file system says so). */
    public static CheckpointKey write(Path file) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions protect it
        }
        Files.writeString(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + publicPem(pair.getPublic()),
                StandardCharsets.US_ASCII);
        return new CheckpointKey(pair.getPrivate(), pair.getPublic());
    }

    /** The public key as PEM, to publish. */
    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Reads the public keys of a PEM file (one or more {@code PUBLIC KEY} blocks: the published keys, old and current). */
    public static java.util.List<PublicKey> readPublic(Path file) {
        try {
            java.util.List<PublicKey> out = new java.util.ArrayList<>();
            Matcher m = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
            while (m.find()) {
                if (m.group(1).equals("PUBLIC KEY")) {
                    out.add(KeyFactory.getInstance("Ed25519").generatePublic(
                            new X509EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(2)))));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no PUBLIC KEY in PEM");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " holds a PUBLIC KEY that is not Ed25519 (" + e.getMessage() + ")", e);
        }
    }

    /** First 16 hex digits of the SHA-256 of the public key's X.509 encoding. */
    public static String idOf(PublicKey key) {
        return HexFormat.of().formatHex(AuditChain.sha256().digest(key.getEncoded()), 0, 8);
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Ed25519 is deterministic (RFC 8032): the same message gives the same signature, so a replay writes the same checkpoints. */
    byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return "CheckpointKey[" + id + "]"; // never the private key
    }
}
