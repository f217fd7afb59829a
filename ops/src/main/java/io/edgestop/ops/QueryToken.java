package io.edgestop.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The shared secret of the orchestrators' job query endpoint and its callers (the adapters, and the
 * orchestrators forwarding to each other): sent as {@code Authorization: Bearer <token>}. Set as
 * {@code query.token.file} (the token is the file's first line; the form for real secrets) or
 * {@code query.token} (embedded use: dev, tests). The token never leaves this class but in
 * {@link #authorization()}: {@link #toString()} hides it.
 */
public final class QueryToken {

    public static final String SETTING = "query.token";
    public static final String FILE_SETTING = "query.token.file";
    private static final String BEARER = "Bearer ";

    private final byte[] token;

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

    /** The value of the {@code Authorization} header a caller sends. */
    public String authorization() {
        return BEARER + new String(token, StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header carries this token; compared in constant time. */
    public boolean admits(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorizationHeader.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "QueryToken[hidden]";
    }
}
