package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class IrcMessageTest {

    @Test
    void parsesCommandAndMiddleParams() {
        IrcMessage m = IrcMessage.parse("user guest 0 *");
        assertEquals("USER", m.command(), "command is upper-cased");
        assertEquals(List.of("guest", "0", "*"), m.params());
        assertNull(m.source());
        assertTrue(m.tags().isEmpty());
        assertFalse(m.trailing());
    }

    @Test
    void parsesSourceAndTrailing() {
        IrcMessage m = IrcMessage.parse(":nick!u@h PRIVMSG #chan :hello there :)");
        assertEquals("nick!u@h", m.source());
        assertEquals("PRIVMSG", m.command());
        assertEquals(List.of("#chan", "hello there :)"), m.params());
        assertTrue(m.trailing());
    }

    @Test
    void emptyTrailingIsAnEmptyParam() {
        IrcMessage m = IrcMessage.parse("TOPIC #c :");
        assertEquals(List.of("#c", ""), m.params());
        assertEquals("TOPIC #c :", m.format());
    }

    @Test
    void toleratesRepeatedAndLeadingSpaces() {
        IrcMessage m = IrcMessage.parse("  PRIVMSG   #a    :x  y ");
        assertEquals(List.of("#a", "x  y "), m.params());
        IrcMessage n = IrcMessage.parse("NICK bob   ");
        assertEquals(List.of("bob"), n.params());
    }

    @Test
    void parsesTagsWithEscapes() {
        IrcMessage m = IrcMessage.parse("@time=2024-01-01T00:00:00.000Z;+draft/x=a\\sb\\:c\\\\d\\r\\n;flag :s CMD p");
        Map<String, String> tags = m.tags();
        assertEquals("2024-01-01T00:00:00.000Z", tags.get("time"));
        assertEquals("a b;c\\d\r\n", tags.get("+draft/x"));
        assertEquals("", tags.get("flag"));
        assertEquals(List.of("time", "+draft/x", "flag"), List.copyOf(tags.keySet()), "order kept");
        assertEquals("s", m.source());
        assertEquals("CMD", m.command());
    }

    @Test
    void unknownEscapeKeepsCharAndLoneBackslashIsDropped() {
        assertEquals("ab", IrcMessage.unescapeTagValue("\\ab"));
        assertEquals("a", IrcMessage.unescapeTagValue("a\\"));
    }

    @Test
    void tagValueEscapingRoundTrips() {
        String raw = "semi;colon space\\back\r\nend";
        assertEquals(raw, IrcMessage.unescapeTagValue(IrcMessage.escapeTagValue(raw)));
        assertFalse(IrcMessage.escapeTagValue(raw).contains(" "));
    }

    @Test
    void fifteenthParamSwallowsTheRestOfTheLine() {
        StringBuilder line = new StringBuilder("CMD");
        for (int i = 1; i <= 17; i++) {
            line.append(' ').append("p").append(i);
        }
        IrcMessage m = IrcMessage.parse(line.toString());
        assertEquals(15, m.paramCount());
        assertEquals("p14", m.param(13));
        assertEquals("p15 p16 p17", m.param(14));
    }

    @Test
    void fifteenParamsWithTrailingParseExactly() {
        String line = "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :last one";
        IrcMessage m = IrcMessage.parse(line);
        assertEquals(15, m.paramCount());
        assertEquals("last one", m.param(14));
        assertEquals(line, m.format());
    }

    @Test
    void linesWithoutCommandAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.parse(""));
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.parse("   "));
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.parse("@a=b"));
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.parse(":source"));
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.parse("@a=b :source "));
    }

    @Test
    void formatPutsColonOnlyWhereNeededUnlessTrailingIsAsked() {
        assertEquals("JOIN #c", IrcMessage.of("JOIN", "#c").format());
        assertEquals("PRIVMSG #c :hi there", IrcMessage.of("PRIVMSG", "#c", "hi there").format());
        assertEquals("PRIVMSG #c ::)", IrcMessage.of("PRIVMSG", "#c", ":)").format());
        assertEquals("NICK :new", IrcMessage.of("NICK", "new").withTrailing().format());
        assertEquals("PING", IrcMessage.of("PING").format());
    }

    @Test
    void formatRefusesMiddleParamsThatWouldChangeTheMessage() {
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.of("X", "a b", "c").format());
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.of("X", ":a", "c").format());
        assertThrows(IllegalArgumentException.class, () -> IrcMessage.of("X", "", "c").format());
    }

    @Test
    void formatWritesTagsAndSource() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("time", "2024-01-01T00:00:00.000Z");
        tags.put("x", "a b");
        tags.put("flag", "");
        IrcMessage m = IrcMessage.of("PRIVMSG", "#c", "hi").withSource("n!u@h").withTags(tags).withTrailing();
        assertEquals("@time=2024-01-01T00:00:00.000Z;x=a\\sb;flag :n!u@h PRIVMSG #c :hi", m.format());
    }

    @Test
    void parseFormatRoundTrips() {
        String[] lines = {
                "PING :token",
                ":server 001 nick :Welcome to the forkchat IRC Network nick!u@h",
                ":server 353 nick = #c :a b c",
                "@msgid=42;time=2024-01-01T00:00:00.000Z :a!b@c PRIVMSG #c :hello",
                "MODE #c +nt",
                "CAP * LS :server-time message-tags echo-message",
                "TOPIC #c :",
                "PRIVMSG #c ::starts with colon",
                "@+x=\\s\\:\\\\ CMD",
        };
        for (String line : lines) {
            IrcMessage m = IrcMessage.parse(line);
            assertEquals(line, m.format(), line);
            assertEquals(m, IrcMessage.parse(m.format()));
        }
    }

    @Test
    void paramOutOfRangeIsNull() {
        IrcMessage m = IrcMessage.parse("NICK");
        assertNull(m.param(0));
        assertEquals(0, m.paramCount());
    }
}
