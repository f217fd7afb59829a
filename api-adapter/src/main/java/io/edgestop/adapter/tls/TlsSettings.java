package io.edgestop.adapter.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the adapter's server certificate comes from: a keystore ({@code tls.keystore.path},
 * {@code tls.keystore.password}, {@code tls.keystore.type} PKCS12 or JKS) or a PEM certificate
 * chain and private key ({@code tls.certificate.path}, {@code tls.key.path}, optional
 * {@code tls.key.password} for an encrypted key). {@code tls.reload.interval.s} is how often the
 * files are checked for changes (0 = never). Passwords are never part of {@link #toString()}.
 */
public record TlsSettings(Path keystore, String keystoreType, char[] keystorePassword, Path certificate, Path key,
        char[] keyPassword, int reloadIntervalSeconds) {

    /** The keys this class reads, for configuration sources that list them. */
    public static final List<String> KEYS = List.of("tls.keystore.path", "tls.keystore.type", "tls.keystore.password",
            "tls.certificate.path", "tls.key.path", "tls.key.password", "tls.reload.interval.s");

    static final int DEFAULT_RELOAD_INTERVAL_SECONDS = 10;

    /** The TLS settings in {@code values}, or empty when none of the certificate keys is set (plain HTTP). */
    public static Optional<TlsSettings> fromMap(Map<String, String> values) {
        Path keystore = path(values, "tls.keystore.path");
        Path certificate = path(values, "tls.certificate.path");
        Path key = path(values, "tls.key.path");
        if (keystore == null && certificate == null && key == null) {
            return Optional.empty();
        }
        if (keystore != null && (certificate != null || key != null)) {
            throw new IllegalArgumentException("tls: give either tls.keystore.path or tls.certificate.path and tls.key.path, not both");
        }
        if (keystore == null && (certificate == null || key == null)) {
            throw new IllegalArgumentException("tls: a PEM certificate needs both tls.certificate.path and tls.key.path");
        }
        char[] keystorePassword = chars(values.get("tls.keystore.password"));
        if (keystore != null && keystorePassword == null) {
            throw new IllegalArgumentException("tls.keystore.password is required with tls.keystore.path");
        }
        String type = values.getOrDefault("tls.keystore.type", "PKCS12").trim();
        int interval;
        String s = values.get("tls.reload.interval.s");
        try {
            interval = s == null || s.isBlank() ? DEFAULT_RELOAD_INTERVAL_SECONDS : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tls.reload.interval.s is not a number: " + s);
        }
        if (interval < 0) {
            throw new IllegalArgumentException("tls.reload.interval.s must be >= 0: " + interval);
        }
        return Optional.of(new TlsSettings(keystore, type, keystorePassword, certificate, key,
                chars(values.get("tls.key.password")), interval));
    }

    /** The files whose change means a new certificate. */
    public List<Path> files() {
        return keystore != null ? List.of(keystore) : List.of(certificate, key);
    }

    private static Path path(Map<String, String> values, String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    private static char[] chars(String v) {
        return v == null ? null : v.toCharArray();
    }

    @Override
    public String toString() {
        return keystore != null
                ? "TlsSettings[keystore=" + keystore + " (" + keystoreType + "), reload.interval.s=" + reloadIntervalSeconds + "]"
                : "TlsSettings[certificate=" + certificate + ", key=" + key + ", reload.interval.s=" + reloadIntervalSeconds + "]";
    }
}
