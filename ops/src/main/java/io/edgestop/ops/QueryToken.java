package io.edgestop.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of the orchestrators' job query endpoint and its callers (the adapters, and the
 * orchestrators forwarding to each other). It never crosses the network: each request carries a
 * credential of its own, {@code Authorization: EdgeStop-HMAC-SHA256 t=<epoch ms>,n=<nonce>,s=<signature>},
 * the signature an HMAC-SHA256 with the token over the method, the path, the time, the nonce and the
 * body's SHA-256. The endpoint admits it within {@link #SKEW_MS} of its own clock and once (its nonce
 * is remembered for the window), so a request read off the wire (the hop is plain HTTP inside the
 * deployment) or sent to a host that group metadata wrongly names can be neither reused nor altered.
 * Set as {@code query.token.file} (the token is the file's first line; the form for real secrets) or
 * {@code query.token} (embedded use: dev, tests). {@link #toString()} hides it.
 */
public final class QueryToken {

    public static final String SETTING = "query.token";
    public static final String FILE_SETTING = "query.token.file";
    /** How far a request's time may be from the endpoint's clock: the hosts' clocks must agree this well (NTP). */
    public static final long SKEW_MS = 30_000;
    private static final String SCHEME = "EdgeStop-HMAC-SHA256 ";
    /** Requests a second an endpoint can tell apart within the window; beyond, new nonces are refused until old ones expire. */
    private static final int NONCES_REMEMBERED = 200_000;

    private final byte[] token;
    private final NonceCache seen = new NonceCache(2 * SKEW_MS, NONCES_REMEMBERED);
    private final SecureRandom random = new SecureRandom();

    private QueryToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether the settings name a token ({@value #SETTING} or {@value #FILE_SETTING}); the file is not
     * read yet (a config is checked, or printed, where the file may not be).
     */
    public static boolean isSet(Map<String, String> settings) {
        String inline = blankToNull(settings.get(SETTING));
        String file = blankToNull(settings.get(FILE_SETTING));
        if (inline != null && file != null) {
            throw new IllegalArgumentException("set one of " + SETTING + " and " + FILE_SETTING + ", not both");
        }
        return inline != null || file != null;
    }

    /** The token the settings name, read now (the file's first line), or empty when neither is set. */
    public static Optional<QueryToken> fromSettings(Map<String, String> settings) {
        if (!isSet(settings)) {
            return Optional.empty();
        }
        String inline = blankToNull(settings.get(SETTING));
        String file = blankToNull(settings.get(FILE_SETTING));
        if (inline != null) {
            return Optional.of(new QueryToken(inline));
        }
        String first;
        try {
            first = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE_SETTING + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (first.isEmpty()) {
            throw new IllegalArgumentException(FILE_SETTING + ": " + file + " is empty; its first line is the token");
        }
        return Optional.of(new QueryToken(first));
    }

    /** A new random token (256 bits), for {@code edge-stop dev}. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code Authorization} header of one request, made now with a fresh nonce. */
    public String authorization(String method, String path, byte[] body) {
        return authorization(method, path, body, System.currentTimeMillis());
    }

    String authorization(String method, String path, byte[] body, long nowMillis) {
        byte[] n = new byte[18];
        random.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        return SCHEME + "t=" + nowMillis + ",n=" + nonce + ",s=" + sign(method, path, body, nowMillis, nonce);
    }

    /**
     * Whether an {@code Authorization} header is a credential of this token for this request, made within
     * {@link #SKEW_MS} of now and not seen before; the signature is compared in constant time.
     */
    public boolean admits(String authorizationHeader, String method, String path, byte[] body) {
        return admits(authorizationHeader, method, path, body, System.currentTimeMillis());
    }

    boolean admits(String authorizationHeader, String method, String path, byte[] body, long nowMillis) {
        if (authorizationHeader == null || !authorizationHeader.startsWith(SCHEME)) {
            return false;
        }
        Map<String, String> parts = new java.util.HashMap<>();
        for (String part : authorizationHeader.substring(SCHEME.length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        String t = parts.get("t");
        String nonce = parts.get("n");
        String signature = parts.get("s");
        if (t == null || nonce == null || signature == null || nonce.length() > 64 || !t.matches("[0-9]{1,15}")) {
            return false;
        }
        long time = Long.parseLong(t);
        if (Math.abs(nowMillis - time) > SKEW_MS) {
            return false;
        }
        boolean signed = MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                sign(method, path, body, time, nonce).getBytes(StandardCharsets.US_ASCII));
        return signed && seen.use("", nonce, time, nowMillis) == NonceCache.Use.FIRST;
    }

    private String sign(String method, String path, byte[] body, long time, String nonce) {
        try {
            byte[] bodyHash = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            String canonical = method + "\n" + path + "\n" + time + "\n" + nonce + "\n"
                    + Base64.getEncoder().encodeToString(bodyHash);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256 / SHA-256", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "QueryToken[hidden]";
    }
}
