package io.edgestop.adapter.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A PEM certificate chain and private key (what certbot, cert-manager and openssl write) as an
 * in-memory keystore for the TLS listener. The JDK reads PEM certificates itself; BouncyCastle
 * reads the key in any of its PEM forms (PKCS#8, PKCS#1 / SEC1, encrypted or not).
 */
final class PemKeyStore {

    static final String ALIAS = "adapter";

    /** Used directly, not registered, so that the JVM's own providers stay as they are. */
    private static final Provider BC = new BouncyCastleProvider();

    private PemKeyStore() {
    }

    /** The keystore holding {@code key} under {@link #ALIAS} with {@code certificate}'s chain, protected by {@code storePassword}. */
    static KeyStore load(Path certificate, Path key, char[] keyPassword, char[] storePassword) {
        try {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(certificate)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            }
            if (chain.length == 0) {
                throw new IllegalArgumentException("tls.certificate.path " + certificate + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey(key, keyPassword), storePassword, chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // the message names the file, never a password
            throw new IllegalArgumentException("tls: cannot read " + certificate + " / " + key + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path key, char[] password) throws IOException {
        Object pem;
        try (Reader r = Files.newBufferedReader(key, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            pem = parser.readObject();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (pem instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (pem instanceof PKCS8EncryptedPrivateKeyInfo || pem instanceof PEMEncryptedKeyPair) {
                if (password == null) {
                    throw new IllegalArgumentException("tls.key.path " + key + " is encrypted: set tls.key.password");
                }
                if (pem instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    return converter.getPrivateKey(enc.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)));
                }
                return converter.getPrivateKey(((PEMEncryptedKeyPair) pem)
                        .decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password)).getPrivateKeyInfo());
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("tls.key.path " + key + ": cannot decrypt the key (wrong tls.key.password?)", e);
        }
        throw new IllegalArgumentException("tls.key.path " + key + " holds no PEM private key");
    }
}
