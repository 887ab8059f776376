package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class Utf8Test {

    @Test
    void validUtf8DecodesAsUtf8() {
        assertEquals("héllo ☃ 😀", Utf8.decodeLenient("héllo ☃ 😀".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidUtf8FallsBackToLatin1() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café", Utf8.decodeLenient(latin1));
        assertNull(Utf8.decodeStrict(latin1, 0, latin1.length));
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0x80};
        assertEquals(4, Utf8.decodeLenient(garbage).length());
    }

    @Test
    void strictDecodingOfARangeTakesAsciiAsItIsAndStillRefusesMalformedBytes() {
        byte[] b = "xx plain ascii yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals("plain ascii", Utf8.decodeStrict(b, 3, 11));
        assertEquals("", Utf8.decodeStrict(b, 5, 0));
        byte[] mixed = "ab é ☃ 😀 cd".getBytes(StandardCharsets.UTF_8);
        assertEquals("ab é ☃ 😀 cd", Utf8.decodeStrict(mixed, 0, mixed.length));
        assertEquals("é ☃", Utf8.decodeStrict(mixed, 3, 6));
        // ASCII up to a malformed byte, a lone continuation byte, a code point cut short
        assertNull(Utf8.decodeStrict(new byte[]{'o', 'k', (byte) 0xc0, (byte) 0x80}, 0, 4));
        assertNull(Utf8.decodeStrict(new byte[]{'a', (byte) 0x80}, 0, 2));
        assertNull(Utf8.decodeStrict(mixed, 0, 4));
    }

    @Test
    void lengthCountsUtf8Bytes() {
        for (String s : new String[]{"", "abc", "é", "☃", "😀", "a😀é☃"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s), s);
        }
    }

    @Test
    void truncateNeverSplitsACodePoint() {
        String s = "aé☃😀";
        assertEquals("", Utf8.truncate(s, 0));
        assertEquals("a", Utf8.truncate(s, 1));
        assertEquals("a", Utf8.truncate(s, 2));
        assertEquals("aé", Utf8.truncate(s, 3));
        assertEquals("aé", Utf8.truncate(s, 5));
        assertEquals("aé☃", Utf8.truncate(s, 6));
        assertEquals("aé☃", Utf8.truncate(s, 9));
        assertEquals(s, Utf8.truncate(s, 10));
        assertEquals(s, Utf8.truncate(s, 1000));
        for (int max = 0; max < 12; max++) {
            String t = Utf8.truncate(s, max);
            assertTrue(t.getBytes(StandardCharsets.UTF_8).length <= max);
            assertTrue(s.startsWith(t));
        }
    }
}
