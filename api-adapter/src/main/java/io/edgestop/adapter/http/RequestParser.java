package io.edgestop.adapter.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.edgestop.adapter.auth.AcsEncoding;
import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.ApiError;

/**
 * Turns the raw query string and body of an RPC request into its {@link Params}. Both GET (query string)
 * and POST (query string and/or an {@code application/x-www-form-urlencoded} body) are accepted.
 * A parameter given twice (in the query, in the body, or in both) is rejected, as are broken
 * percent-encoding, invalid UTF-8, too many or too long parameters and non-form bodies.
 */
public final class RequestParser {

    public static final int MAX_PARAMS = 64;
    public static final int MAX_KEY_LENGTH = 128;
    public static final int MAX_VALUE_LENGTH = 4096;

    private RequestParser() {
    }

    public static Params parse(String rawQuery, String contentType, byte[] body) throws ApiException {
        Map<String, String> all = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        parseInto(rawQuery == null ? "" : rawQuery, query, all, "query string");
        Map<String, String> form = new LinkedHashMap<>();
        if (body != null && body.length > 0) {
            if (!isForm(contentType)) {
                throw new ApiException(ApiError.UNSUPPORTED_MEDIA_TYPE,
                        contentType == null ? "no Content-Type" : "\"" + truncate(contentType, 100) + "\"");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                throw ApiException.invalidParameter("The request body is not valid UTF-8.");
            }
            parseInto(text, form, all, "request body");
        }
        return new Params(Map.copyOf(query), Map.copyOf(form), java.util.Collections.unmodifiableMap(all));
    }

    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1); // -1: ";" alone is two empty parts, not none
        if (!parts[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring(8).replace("\"", "").trim();
                if (!cs.equals("utf-8") && !cs.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void parseInto(String raw, Map<String, String> target, Map<String, String> all, String where)
            throws ApiException {
        if (raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawKey = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String key;
            String value;
            try {
                key = AcsEncoding.decode(rawKey);
                value = AcsEncoding.decode(rawValue);
            } catch (AcsEncoding.MalformedEncodingException e) {
                throw ApiException.invalidParameter("The " + where + " contains malformed percent-encoding ("
                        + e.getMessage() + ") near \"" + truncate(pair, 40) + "\".");
            }
            if (key.isEmpty()) {
                throw ApiException.invalidParameter("The " + where + " contains a parameter without a name.");
            }
            if (key.length() > MAX_KEY_LENGTH) {
                throw ApiException.invalidParameter("A parameter name in the " + where + " is longer than "
                        + MAX_KEY_LENGTH + " characters.");
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                throw ApiException.invalidParameter("The parameter \"" + key + "\" is longer than "
                        + MAX_VALUE_LENGTH + " characters.");
            }
            if (all.containsKey(key)) {
                throw ApiException.invalidParameter("The parameter \"" + key + "\" is given more than once.");
            }
            if (all.size() >= MAX_PARAMS) {
                throw ApiException.invalidParameter("The request has more than " + MAX_PARAMS + " parameters.");
            }
            all.put(key, value);
            target.put(key, value);
        }
    }

    static String truncate(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return s.length() > max ? sb + "..." : sb.toString();
    }
}
