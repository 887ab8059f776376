package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LineFramerTest {

    private final List<String> lines = new ArrayList<>();
    private int tooLong;
    private final LineFramer framer = new LineFramer(new LineFramer.Handler() {
        @Override
        public void line(byte[] line) {
            lines.add(new String(line, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void tooLong() {
            tooLong++;
        }
    });

    private void feed(String s) {
        framer.feed(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void splitsOnCrLfAndOnLf() {
        feed("NICK a\r\nUSER a 0 * :A\nPING x\r\n");
        assertEquals(List.of("NICK a", "USER a 0 * :A", "PING x"), lines);
    }

    @Test
    void joinsALineSplitAcrossFeeds() {
        feed("PRIV");
        feed("MSG #c :he");
        assertTrue(lines.isEmpty());
        assertEquals(14, framer.pending());
        feed("llo\r");
        assertTrue(lines.isEmpty());
        feed("\nNEXT");
        assertEquals(List.of("PRIVMSG #c :hello"), lines);
        assertEquals(4, framer.pending());
    }

    @Test
    void emptyLinesAreReported() {
        feed("\r\n\n");
        assertEquals(List.of("", ""), lines);
    }

    @Test
    void loneCrDoesNotEndALine() {
        feed("A\rB\n");
        assertEquals(List.of("A\rB"), lines);
    }

    @Test
    void consumesTheWholeBuffer() {
        ByteBuffer b = ByteBuffer.wrap("X\nY".getBytes(StandardCharsets.US_ASCII));
        framer.feed(b);
        assertFalse(b.hasRemaining());
    }

    @Test
    void exactly512BytesWithCrLfIsAccepted() {
        String line = "P".repeat(510);
        feed(line + "\r\n");
        assertEquals(List.of(line), lines);
        assertEquals(0, tooLong);
    }

    @Test
    void oneByteMoreIsTooLongAndTheNextLineWorks() {
        feed("P".repeat(511) + "\r\nPING ok\r\n");
        assertEquals(1, tooLong);
        assertEquals(List.of("PING ok"), lines);
    }

    @Test
    void aHugeLineIsReportedOnceAndMemoryStaysBounded() {
        feed("X");
        for (int i = 0; i < 1000; i++) {
            feed("Y".repeat(1000));
            assertTrue(framer.pending() <= LineFramer.MAX_TAGGED_LINE);
        }
        feed("\nPING after\n");
        assertEquals(1, tooLong);
        assertEquals(List.of("PING after"), lines);
    }

    @Test
    void tooLongIsReportedBeforeTheLineEnds() {
        feed("Z".repeat(600));
        assertEquals(1, tooLong);
        assertTrue(lines.isEmpty());
    }

    @Test
    void taggedLinesGetTheTagAllowance() {
        String tagged = "@" + "t".repeat(3000) + " PRIVMSG #c :" + "m".repeat(400);
        feed(tagged + "\r\n");
        assertEquals(List.of(tagged), lines);
        assertEquals(0, tooLong);
        feed("@" + "t".repeat(LineFramer.MAX_TAGGED_LINE) + "\r\nPING x\n");
        assertEquals(1, tooLong);
        assertEquals(List.of(tagged, "PING x"), lines);
    }

    @Test
    void untaggedLinesDoNotGetTheTagAllowance() {
        feed("PRIVMSG #c :" + "m".repeat(600) + "\n");
        assertEquals(1, tooLong);
        assertTrue(lines.isEmpty());
    }

    @Test
    void linesSplitByteByByteComeOutWhole() {
        byte[] all = "NICK a\r\nUSER b 0 * :C D\r\n".getBytes(StandardCharsets.US_ASCII);
        for (byte b : all) {
            framer.feed(ByteBuffer.wrap(new byte[]{b}));
        }
        assertEquals(List.of("NICK a", "USER b 0 * :C D"), lines);
    }

    @Test
    void rejectsNullHandler() {
        assertThrows(NullPointerException.class, () -> new LineFramer(null));
    }
}
