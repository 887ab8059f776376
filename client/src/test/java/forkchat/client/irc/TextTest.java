package forkchat.client.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Utf8;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small text pieces: splitting, cleaning, CTCP, history stamps, ISUPPORT. */
class TextTest {

    @Test
    void shortTextIsNotSplit() {
        assertEquals(List.of("hello"), MessageSplitter.split("hello", 100));
        assertEquals(List.of(), MessageSplitter.split("", 100));
    }

    @Test
    void splitsAtASpaceWhenThereIsOne() {
        List<String> pieces = MessageSplitter.split("aaaa bbbb cccc dddd eeee ffff", 20);
        assertEquals(List.of("aaaa bbbb cccc dddd", "eeee ffff"), pieces);
        assertEquals(List.of("x".repeat(20), "x".repeat(5) + " y"), MessageSplitter.split("x".repeat(25) + " y", 20),
                "a space early in the piece is not used: that would waste the line");
    }

    @Test
    void splitsMultiByteTextAtCharacterBoundaries() {
        String text = "é".repeat(100) + "日本語".repeat(50) + "😀".repeat(40);
        List<String> pieces = MessageSplitter.split(text, 31);
        for (String p : pieces) {
            assertTrue(Utf8.length(p) <= 31, p);
            assertTrue(!Character.isLowSurrogate(p.charAt(0)) && !Character.isHighSurrogate(p.charAt(p.length() - 1)), p);
        }
        assertEquals(text, String.join("", pieces));
    }

    @Test
    void doesNotSplitAnEmojiWithItsModifier() {
        String thumbs = "👍🏽"; // 8 bytes: base + skin tone
        String text = "x".repeat(14) + thumbs + thumbs;
        List<String> pieces = MessageSplitter.split(text, 20);
        assertEquals("x".repeat(14), pieces.get(0));
        assertEquals(text, String.join("", pieces));
    }

    @Test
    void cleaningRemovesFormattingAndControls() {
        assertEquals("plain", PlainText.clean("plain"));
        assertEquals("red on blue", PlainText.clean("\u000304,12red\u0003 on \u000312blue"));
        assertEquals("hex", PlainText.clean("\u0004FF0000hex"));
        assertEquals("a b", PlainText.clean("a\tb"));
        assertEquals("nobell", PlainText.clean("no\u0007bell\u009b"));
        assertEquals(",x", PlainText.clean("\u00031,x"), "a comma not followed by a colour is text");
    }

    @Test
    void ctcpIsParsedAndEncoded() {
        assertEquals(new Ctcp("ACTION", "waves"), Ctcp.parse("\u0001ACTION waves\u0001"));
        assertEquals(new Ctcp("VERSION", ""), Ctcp.parse("\u0001version"));
        assertNull(Ctcp.parse("plain"));
        assertEquals("\u0001ACTION hi\u0001", Ctcp.action("hi"));
    }

    @Test
    void historyStampIsRecognisedOnlyAtTheStart() {
        HistoryStamp s = HistoryStamp.parse("[2024-05-01 12:30:00 UTC] text here");
        assertEquals(Instant.parse("2024-05-01T12:30:00Z"), s.time());
        assertEquals("text here", s.text());
        assertNull(HistoryStamp.parse("see [2024-05-01 12:30:00 UTC] x"));
        assertNull(HistoryStamp.parse("[2024-13-01 12:30:00 UTC] bad month"));
    }

    @Test
    void isupportFollowsTheServer() {
        Isupport rfc = Isupport.RFC;
        assertTrue(rfc.isChannel("&local"));
        assertTrue(rfc.same("Nick[a]", "nick{A}"), "rfc1459 folds []");
        Isupport ascii = rfc.with(List.of("CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=(qov)~@+"));
        assertTrue(!ascii.isChannel("&local"));
        assertTrue(!ascii.same("Nick[a]", "nick{a}"));
        assertEquals("alice", ascii.stripPrefixes("~@alice"));
    }
}
