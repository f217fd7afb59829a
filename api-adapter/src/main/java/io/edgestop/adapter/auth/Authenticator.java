package io.edgestop.adapter.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;

/**
 * Verifies a request signed with V1 (HMAC-SHA1, {@code Signature} parameter) or V3
 * ({@code Authorization: ACS3-HMAC-SHA256 ...}). Order of checks: scheme completeness
 * (IncompleteSignature), access key (InvalidAccessKeyId.NotFound), signature (SignatureDoesNotMatch,
 * compared in constant time), timestamp window (InvalidTimeStamp.Format / .Expired). Replay of a
 * nonce is checked by the caller after this, so a forged request can never burn a nonce.
 */
public final class Authenticator {

    /**
     * V3 headers that must be present and covered by SignedHeaders: the action and version decide
     * what is called (see {@link ActionBinding}). {@code host} joins them with {@code
     * signature.v3.require.host}: Alibaba's Tea-based SDKs sign it, but aliyun-java-sdk-core's V3 does not.
     */
    public static final List<String> V3_REQUIRED_SIGNED = List.of("x-acs-action", "x-acs-version", "x-acs-date",
            "x-acs-signature-nonce");
    /** The longest SignatureNonce accepted: Alibaba's SDKs send a UUID (36 characters) or 32 hex digits. */
    public static final int MAX_NONCE_LENGTH = 64;
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_NONCE_LENGTH + "}");

    private final CredentialStore credentials;
    private final Duration window;
    private final Clock clock;
    private final List<String> v3RequiredSigned;

    /** @param requireSignedHost V3 requests must sign {@code host} too (a signature made for one endpoint is refused on another) */
    public Authenticator(CredentialStore credentials, Duration window, Clock clock, boolean requireSignedHost) {
        this.credentials = credentials;
        this.window = window;
        this.clock = clock;
        List<String> required = new java.util.ArrayList<>(V3_REQUIRED_SIGNED);
        if (requireSignedHost) {
            required.add(0, "host");
        }
        this.v3RequiredSigned = List.copyOf(required);
    }

    public enum Scheme { V1, V3 }

    /** A verified caller. */
    public record Verified(Credential credential, Scheme scheme, String nonce, Instant requestTime) {
    }

    /** Which scheme a request uses, by its Authorization header and Signature parameter. */
    public static Optional<Scheme> schemeOf(String authorizationHeader, Params params) {
        if (authorizationHeader != null && !authorizationHeader.isBlank()) {
            return Optional.of(Scheme.V3);
        }
        if (params.all().containsKey("Signature")) {
            return Optional.of(Scheme.V1);
        }
        return Optional.empty();
    }

    /**
     * @param headers request header value by lower-case name (null when absent)
     */
    public Verified verify(String method, Params params, Function<String, String> headers, String bodySha256Hex)
            throws ApiException {
        String authorization = headers.apply("authorization");
        Scheme scheme = schemeOf(authorization, params).orElseThrow(() -> ApiException.incompleteSignature(
                "Sign the request with signature V1 (Signature parameter) or V3 (Authorization header)."));
        return scheme == Scheme.V1 ? verifyV1(method, params) : verifyV3(method, params, headers, authorization, bodySha256Hex);
    }

    private Verified verifyV1(String method, Params params) throws ApiException {
        for (String name : List.of("AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp")) {
            String v = params.get(name);
            if (v == null || v.isEmpty()) {
                throw ApiException.incompleteSignature("The parameter \"" + name + "\" is missing.");
            }
        }
        if (!SignatureV1.SIGNATURE_METHOD.equals(params.get("SignatureMethod"))) {
            throw ApiException.incompleteSignature("SignatureMethod must be HMAC-SHA1.");
        }
        if (!SignatureV1.SIGNATURE_VERSION.equals(params.get("SignatureVersion"))) {
            throw ApiException.incompleteSignature("SignatureVersion must be 1.0.");
        }
        if (params.get("Signature").isEmpty()) {
            throw ApiException.incompleteSignature("The parameter \"Signature\" is empty.");
        }
        checkNonce("SignatureNonce", params.get("SignatureNonce"));
        Credential credential = credentials.find(params.get("AccessKeyId")).orElseThrow(ApiException::accessKeyNotFound);
        String stringToSign = SignatureV1.stringToSign(method, params.all());
        String expected = SignatureV1.sign(credential.accessKeySecret(), stringToSign);
        if (!SignatureV3.constantTimeEquals(expected, params.get("Signature"))) {
            throw ApiException.signatureDoesNotMatch(stringToSign);
        }
        Instant time = checkTime("Timestamp", params.get("Timestamp"));
        return new Verified(credential, Scheme.V1, params.get("SignatureNonce"), time);
    }

    private Verified verifyV3(String method, Params params, Function<String, String> headers, String authorization,
                              String bodySha256Hex) throws ApiException {
        SignatureV3.Authorization auth;
        try {
            auth = SignatureV3.parseAuthorization(authorization);
        } catch (IllegalArgumentException e) {
            throw ApiException.incompleteSignature(e.getMessage() + ".");
        }
        if (auth == null) {
            throw ApiException.incompleteSignature("Only the ACS3-HMAC-SHA256 Authorization scheme is supported.");
        }
        for (String name : v3RequiredSigned) {
            String v = headers.apply(name);
            if (v == null || v.isBlank()) {
                throw ApiException.incompleteSignature("The header \"" + name + "\" is missing.");
            }
            if (!auth.signedHeaders().contains(name)) {
                throw ApiException.incompleteSignature("The header \"" + name + "\" must be listed in SignedHeaders.");
            }
        }
        checkNonce("x-acs-signature-nonce", headers.apply("x-acs-signature-nonce").trim());
        for (String name : auth.signedHeaders()) {
            if (headers.apply(name) == null) {
                throw ApiException.incompleteSignature("The signed header \"" + name + "\" is not in the request.");
            }
        }
        Credential credential = credentials.find(auth.credential()).orElseThrow(ApiException::accessKeyNotFound);
        Map<String, String> signedValues = new java.util.HashMap<>();
        for (String name : auth.signedHeaders()) {
            signedValues.put(name, headers.apply(name));
        }
        String canonical = SignatureV3.canonicalRequest(method, params.query(), signedValues, auth.signedHeaders(),
                bodySha256Hex);
        String expected = SignatureV3.sign(credential.accessKeySecret(), SignatureV3.stringToSign(canonical));
        if (!SignatureV3.constantTimeEquals(expected, auth.signature().toLowerCase(Locale.ROOT))) {
            // The Java SDK keeps the canonical request as its "string to sign" for V3 and compares
            // it with what follows "string to sign is:" to diagnose a wrong secret.
            throw ApiException.signatureDoesNotMatch(canonical);
        }
        Instant time = checkTime("x-acs-date", headers.apply("x-acs-date"));
        return new Verified(credential, Scheme.V3, headers.apply("x-acs-signature-nonce").trim(), time);
    }

    /**
     * A nonce is remembered by every adapter instance and the orchestrator for the whole window:
     * only the short, plain form clients send is accepted, so a caller cannot fill that memory with
     * kilobytes per request.
     */
    private static void checkNonce(String name, String nonce) throws ApiException {
        if (!NONCE.matcher(nonce).matches()) {
            throw ApiException.invalidParameter("The " + name + " must be 1 to " + MAX_NONCE_LENGTH
                    + " characters of A-Z, a-z, 0-9, '-', '_', '.' and '~' (a UUID, as Alibaba's SDKs send).");
        }
    }

    private Instant checkTime(String name, String value) throws ApiException {
        Instant t;
        try {
            t = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.timestampFormat(name);
        }
        Instant now = clock.instant();
        if (t.isBefore(now.minus(window)) || t.isAfter(now.plus(window))) {
            throw ApiException.timestampExpired();
        }
        return t;
    }
}
