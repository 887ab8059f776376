package forkchat.chat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text helpers for a byte-counted protocol: IRC limits lines in bytes, Java counts chars. Decoding
 * never throws (clients send Latin-1 now and then), and truncation never splits a UTF-8 sequence.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Strict UTF-8 decoding; bytes that are not valid UTF-8 are decoded as ISO-8859-1 instead. */
    public static String decodeLenient(byte[] bytes) {
        String strict = decodeStrict(bytes, 0, bytes.length);
        return strict != null ? strict : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Strict UTF-8 decoding of a range, or null when the bytes are not valid UTF-8. */
    public static String decodeStrict(byte[] bytes, int offset, int length) {
        // Most text is ASCII, which is valid UTF-8 as it is: one copy into a compact string,
        // instead of a decoder, two buffers and a char[] for every string a log record holds.
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Lenient UTF-8 decoding of a range into a fresh {@code char[]} without a String in between
     * (for passwords: the caller wipes the result, and the decoder's buffer is wiped here).
     */
    public static char[] decodeToChars(byte[] bytes, int offset, int length) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, offset, length));
        char[] result = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        return result;
    }

    /** Number of bytes {@code s} takes in UTF-8 (unpaired surrogates count as one byte, as encoded). */
    public static int length(CharSequence s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1; // encoded as '?'
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The longest prefix of {@code s} whose UTF-8 form is at most {@code maxBytes} bytes, cut at a
     * code point boundary (never inside a surrogate pair).
     */
    public static String truncate(String s, int maxBytes) {
        if (maxBytes <= 0) {
            return "";
        }
        if (s.length() <= maxBytes / 4 || length(s) <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int width;
            int chars = 1;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                width = 4;
                chars = 2;
            } else if (Character.isSurrogate(c)) {
                width = 1;
            } else {
                width = 3;
            }
            if (bytes + width > maxBytes) {
                break;
            }
            bytes += width;
            i += chars;
        }
        return s.substring(0, i);
    }
}
