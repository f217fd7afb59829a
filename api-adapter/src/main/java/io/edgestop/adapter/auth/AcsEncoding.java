package io.edgestop.adapter.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Alibaba Cloud's percent-encoding rules. {@link #percentEncode} is the canonical encoding used in
 * both signature schemes: UTF-8, and only {@code A-Z a-z 0-9 - _ . ~} stay unencoded (space is
 * {@code %20}, {@code *} is {@code %2A}). {@link #decode} is the strict decoder the adapter applies
 * to what arrives on the wire before re-encoding canonically.
 */
public final class AcsEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private AcsEncoding() {
    }

    /** Thrown when a query string or form body carries broken percent-encoding or invalid UTF-8. */
    public static final class MalformedEncodingException extends Exception {
        public MalformedEncodingException(String message) {
            super(message);
        }
    }

    public static String percentEncode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    /**
     * Decodes one key or value of a query string or {@code application/x-www-form-urlencoded}
     * body: {@code %XX} sequences and {@code +} as space. Rejects a {@code %} not followed by two
     * hex digits and byte sequences that are not valid UTF-8.
     */
    public static String decode(String raw) throws MalformedEncodingException {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char ch = raw.charAt(i);
            if (ch == '%') {
                if (i + 2 >= raw.length()) {
                    throw new MalformedEncodingException("truncated percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedEncodingException("invalid percent-encoding");
                }
                out.write((hi << 4) | lo);
                i += 3;
            } else if (ch == '+') {
                out.write(' ');
                i++;
            } else {
                // characters outside ASCII arriving raw are taken as their UTF-8 bytes
                int cp = raw.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEncodingException("percent-encoded bytes are not valid UTF-8");
        }
    }
}
