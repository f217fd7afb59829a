package io.edgestop.adapter.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's TLS: Jetty's {@link SslContextFactory.Server} with the configured certificate,
 * TLS 1.2 and 1.3 only, and a Jetty {@link Scanner} that reloads the certificate when one of its
 * files changes (a renewed certificate is served to new connections without a restart; open
 * connections keep theirs). A file that fails to load on reload is logged and the previous
 * certificate stays in use.
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** The protocols the listener accepts: older ones have known weaknesses (RFC 8996). */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The in-memory keystore of a PEM pair needs a password; it never leaves the process. */
    private static final char[] PEM_STORE_PASSWORD = "in-memory".toCharArray();

    private final TlsSettings settings;
    private final SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
    private final Scanner scanner;

    public ServerTls(TlsSettings settings) {
        this.settings = settings;
        for (Path f : settings.files()) {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("tls: cannot read " + f);
            }
        }
        sslContextFactory.setIncludeProtocols(PROTOCOLS);
        applyCertificate(sslContextFactory);
        if (settings.reloadIntervalSeconds() > 0) {
            scanner = new Scanner();
            scanner.setScanInterval(settings.reloadIntervalSeconds());
            scanner.setReportExistingFilesOnStartup(false);
            settings.files().forEach(f -> scanner.addFile(f.toAbsolutePath()));
            scanner.addListener(new Scanner.BulkListener() {
                @Override
                public void filesChanged(Set<String> files) {
                    reload();
                }
            });
        } else {
            scanner = null;
        }
    }

    /** Puts the configured certificate into {@code f}: a keystore by path (re-read by Jetty), a PEM pair loaded now. */
    private void applyCertificate(SslContextFactory f) {
        if (settings.keystore() != null) {
            f.setKeyStorePath(settings.keystore().toAbsolutePath().toString());
            f.setKeyStoreType(settings.keystoreType());
            f.setKeyStorePassword(new String(settings.keystorePassword()));
            if (settings.keyPassword() != null) {
                f.setKeyManagerPassword(new String(settings.keyPassword()));
            }
        } else {
            f.setKeyStore(PemKeyStore.load(settings.certificate(), settings.key(), settings.keyPassword(),
                    PEM_STORE_PASSWORD));
            f.setKeyStorePassword(new String(PEM_STORE_PASSWORD));
        }
    }

    /** Reloads the certificate from its files now (also what the scanner does on a change). */
    public void reload() {
        try {
            sslContextFactory.reload(this::applyCertificate);
            LOG.info("TLS certificate reloaded from {}", settings.files());
        } catch (Exception e) {
            LOG.warn("TLS certificate not reloaded from {}, the previous one stays in use: {}", settings.files(),
                    e.getMessage());
        }
    }

    public SslContextFactory.Server sslContextFactory() {
        return sslContextFactory;
    }

    /** The file watcher to start and stop with the server, or null when reloading is off. */
    public Scanner scanner() {
        return scanner;
    }
}
