package forkchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.irc.Line;
import forkchat.client.irc.Line.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TailPrinterTest {

    private static final Instant T = Instant.parse("2024-05-01T10:05:07Z");

    private static Line line(Kind kind, String context, String nick, String text, boolean direct, boolean history) {
        return new Line(T, kind, context, nick, text, null, false, direct, history, false);
    }

    @Test
    void oneLinePerMessageInTheDocumentedFormat() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TailPrinter p = new TailPrinter(out, new PrintStream(new ByteArrayOutputStream()), ZoneOffset.UTC, false, true);
        p.show(line(Kind.MESSAGE, "#lobby", "alice", "hello", false, false));
        p.show(line(Kind.ACTION, "#lobby", "alice", "waves", false, false));
        p.show(line(Kind.NOTICE, "#lobby", "bob", "note", false, false));
        p.show(line(Kind.MESSAGE, "alice", "alice", "psst", true, false));
        p.show(Line.event(T, Kind.JOIN, "#lobby", "dave", null, null, false));
        p.show(Line.info(T, "not a message"));
        assertEquals("""
                10:05:07 <alice> hello
                10:05:07 * alice waves
                10:05:07 -bob- note
                10:05:07 *alice* psst
                """, out.toString());
    }

    @Test
    void severalChannelsAreNamedAndHistoryCanBeLeftOut() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TailPrinter p = new TailPrinter(out, new PrintStream(new ByteArrayOutputStream()), ZoneOffset.UTC, true, false);
        p.show(line(Kind.MESSAGE, "#lobby", "alice", "old", false, true));
        p.show(line(Kind.MESSAGE, "#dev", "alice", "new", false, false));
        assertEquals("10:05:07 #dev <alice> new\n", out.toString());
    }

    @Test
    void aClosedPipeStopsThePrinterQuietly() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TailPrinter p = new TailPrinter(broken, new PrintStream(err), ZoneOffset.UTC, false, true);
        p.show(line(Kind.MESSAGE, "#lobby", "alice", "hello", false, false));
        assertEquals(0, p.closed().getCount());
        assertTrue(err.toString().isEmpty(), "no complaint on a closed pipe");
    }

    @Test
    void errorsGoToStandardError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new TailPrinter(out, new PrintStream(err), ZoneOffset.UTC, false, true).show(Line.error(T, "lost"));
        assertEquals("", out.toString());
        assertTrue(err.toString().contains("lost"));
    }
}
