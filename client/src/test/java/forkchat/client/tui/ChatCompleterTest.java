package forkchat.client.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.irc.Identity;
import forkchat.client.irc.Session;
import forkchat.client.support.ManualClock;
import forkchat.client.support.RecordingScreen;
import forkchat.client.support.RecordingWire;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

class ChatCompleterTest {

    private static Session session() {
        Session s = new Session(Identity.of("carol"), List.of("#lobby"), new RecordingScreen(),
                new ManualClock(Instant.parse("2024-05-01T12:00:00Z")));
        s.connected(new RecordingWire());
        for (String l : List.of(":srv 001 carol :Welcome", ":carol!c@h JOIN #lobby", ":srv 353 carol = #lobby :carol alice bob",
                ":srv 366 carol #lobby :End", ":carol!c@h JOIN #dev", ":srv 366 carol #dev :End", ":dave!d@h PRIVMSG carol :hi")) {
            s.receive(l);
        }
        s.switchTo("#lobby");
        return s;
    }

    private static List<String> complete(String line) {
        DefaultParser parser = new DefaultParser();
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        List<Candidate> out = new ArrayList<>();
        new ChatCompleter(session()).complete(null, parser.parse(line, line.length(), Parser.ParseContext.COMPLETE), out);
        return out.stream().map(Candidate::value).toList();
    }

    @Test
    void completesCommandsAtTheStart() {
        List<String> values = complete("/jo");
        assertTrue(values.contains("/join"));
        assertTrue(values.contains("/quit"));
    }

    @Test
    void completesChannelsAfterChannelCommands() {
        assertEquals(List.of("#lobby", "#dev"), complete("/join #"));
        assertEquals(List.of("#lobby", "#dev"), complete("/switch "));
    }

    @Test
    void completesNicksWithAColonAtTheStartOfALine() {
        List<String> values = complete("al");
        assertTrue(values.contains("alice:"), values.toString());
        assertTrue(values.contains("dave:"), "private conversations too: " + values);
        assertTrue(!values.contains("carol:"), "not oneself");
    }

    @Test
    void completesPlainNicksInsideALine() {
        List<String> values = complete("/msg da");
        assertTrue(values.contains("dave"), values.toString());
        assertTrue(complete("hello b").contains("bob"));
    }
}
