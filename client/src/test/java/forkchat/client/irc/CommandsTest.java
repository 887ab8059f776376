package forkchat.client.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private static Harness inLobby() {
        Harness h = new Harness("carol", "#lobby").registered().joined("#lobby", "alice");
        h.take();
        h.screen.clear();
        return h;
    }

    private static List<String> sentFor(String input) {
        Harness h = inLobby();
        assertEquals(Commands.Outcome.CONTINUE, h.commands.handle(input));
        return h.take();
    }

    @Test
    void plainTextGoesToTheTarget() {
        assertEquals(List.of("PRIVMSG #lobby :hello"), sentFor("hello"));
    }

    @Test
    void aDoubleSlashSendsTextThatStartsWithASlash() {
        assertEquals(List.of("PRIVMSG #lobby :/shrug"), sentFor("//shrug"));
    }

    @Test
    void pastedLinesBecomeSeparateMessages() {
        assertEquals(List.of("PRIVMSG #lobby :one", "PRIVMSG #lobby :two"), sentFor("one\ntwo\n"));
    }

    @Test
    void everyCommandSendsWhatItShould() {
        assertEquals(List.of("JOIN #dev"), sentFor("/join #dev"));
        assertEquals(List.of("JOIN #dev,#ops key"), sentFor("/join #dev,ops key"));
        assertEquals(List.of("PART #lobby"), sentFor("/part"));
        assertEquals(List.of("PART #lobby :see you"), sentFor("/part see you"));
        assertEquals(List.of("PART #dev :bye"), sentFor("/part #dev bye"));
        assertEquals(List.of("PRIVMSG alice :hi there"), sentFor("/msg alice hi there"));
        assertEquals(List.of("PRIVMSG #lobby :\u0001ACTION waves\u0001"), sentFor("/me waves"));
        assertEquals(List.of("NAMES #lobby"), sentFor("/names"));
        assertEquals(List.of("WHO #lobby"), sentFor("/who"));
        assertEquals(List.of("WHO alice"), sentFor("/who alice"));
        assertEquals(List.of("WHOIS alice"), sentFor("/whois alice"));
        assertEquals(List.of("TOPIC #lobby"), sentFor("/topic"));
        assertEquals(List.of("TOPIC #lobby :new topic"), sentFor("/topic new topic"));
        assertEquals(List.of("TOPIC #dev :dev topic"), sentFor("/topic #dev dev topic"));
        assertEquals(List.of("NICK carolyn"), sentFor("/nick carolyn"));
        assertEquals(List.of("AWAY :lunch"), sentFor("/away lunch"));
        assertEquals(List.of("AWAY"), sentFor("/away"));
        assertEquals(List.of("LIST"), sentFor("/quote LIST"));
        assertEquals(List.of("PRIVMSG #lobby :x"), sentFor("/MSG #lobby x"));
    }

    @Test
    void queryAndSwitchChangeWherePlainTextGoes() {
        Harness h = inLobby();
        h.commands.handle("/query alice");
        assertEquals("alice", h.session.target());
        assertEquals("alice", h.screen.status().target());
        h.commands.handle("psst");
        assertEquals(List.of("PRIVMSG alice :psst"), h.take());
        h.commands.handle("/switch #lobby");
        h.commands.handle("back");
        assertEquals(List.of("PRIVMSG #lobby :back"), h.take());
        h.commands.handle("/switch");
        assertEquals("alice", h.session.target(), "/switch alone moves to the next conversation");
        h.commands.handle("/query");
        assertEquals("#lobby", h.session.target(), "/query alone closes the conversation");
    }

    @Test
    void queryWithTextSendsIt() {
        assertEquals(List.of("PRIVMSG alice :hello"), sentFor("/query alice hello"));
    }

    @Test
    void switchingToAChannelNotJoinedIsRefused() {
        Harness h = inLobby();
        h.commands.handle("/switch #nowhere");
        assertEquals("#lobby", h.session.target());
        assertEquals(Line.Kind.ERROR, h.last().kind());
    }

    @Test
    void unknownCommandsAreNeverSentRaw() {
        Harness h = inLobby();
        h.commands.handle("/frobnicate all the things");
        assertTrue(h.take().isEmpty());
        assertEquals(Line.Kind.ERROR, h.last().kind());
        assertTrue(h.last().text().contains("/quote"));
    }

    @Test
    void missingArgumentsShowTheUsage() {
        Harness h = inLobby();
        h.commands.handle("/msg alice");
        h.commands.handle("/join");
        assertTrue(h.take().isEmpty());
        assertEquals("usage: " + Command.JOIN.usage(), h.last().text());
    }

    @Test
    void quitEndsWithTheReasonOrADefault() {
        Harness h = inLobby();
        assertEquals(Commands.Outcome.QUIT, h.commands.handle("/quit"));
        assertEquals(List.of("QUIT :" + Commands.DEFAULT_QUIT), h.take());
    }

    @Test
    void reconnectIsLeftToTheCaller() {
        assertEquals(Commands.Outcome.RECONNECT, inLobby().commands.handle("/reconnect"));
    }

    @Test
    void helpListsEveryCommand() {
        Harness h = inLobby();
        h.commands.handle("/help");
        String shown = h.screen.dump();
        for (Command c : Command.values()) {
            assertTrue(shown.contains(c.usage()), c.usage());
        }
        h.screen.clear();
        h.commands.handle("/help msg");
        assertTrue(h.last().text().startsWith("/msg"));
    }

    @Test
    void rawLinesThatWouldBreakTheProtocolAreRefused() {
        Harness h = inLobby();
        h.commands.handle("/quote " + "x".repeat(600));
        assertTrue(h.take().isEmpty());
        assertEquals(Line.Kind.ERROR, h.last().kind());
    }

    @Test
    void withoutATargetPlainTextIsRefused() {
        Harness h = new Harness("carol").registered();
        h.take();
        h.commands.handle("hello?");
        assertTrue(h.take().isEmpty());
        assertTrue(h.last().text().contains("/join"));
    }

    @Test
    void textAfterWordsKeepsItsInnerSpacing() {
        assertEquals("a  b", Commands.after("alice a  b", 1));
        assertEquals("", Commands.after("alice", 1));
    }
}
