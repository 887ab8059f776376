package forkchat.client.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Utf8;
import forkchat.client.support.RecordingWire;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static Harness inLobby() {
        Harness h = new Harness("carol", "#lobby").registered().joined("#lobby", "alice", "@bob");
        h.take();
        h.screen.clear();
        return h;
    }

    @Test
    void answersPingsAtOnce() {
        Harness h = inLobby();
        h.server("PING :srv-123");
        assertEquals(List.of("PONG :srv-123"), h.take());
        assertTrue(h.screen.lines().isEmpty(), "a PING shows nothing");
    }

    @Test
    void aChannelMessageShowsSenderContextAndServerTime() {
        Harness h = inLobby();
        h.server("@time=2024-05-01T12:00:05.000Z :alice!a@h PRIVMSG #lobby :hi there");
        Line l = h.last();
        assertEquals(Line.Kind.MESSAGE, l.kind());
        assertEquals("#lobby", l.context());
        assertEquals("alice", l.nick());
        assertEquals("hi there", l.text());
        assertEquals(Instant.parse("2024-05-01T12:00:05Z"), l.time());
        assertFalse(l.own());
        assertFalse(l.direct());
        assertFalse(l.history());
        assertFalse(l.highlight());
    }

    @Test
    void aMessageWithoutServerTimeGetsTheLocalTime() {
        Harness h = inLobby();
        h.clock.advance(Duration.ofSeconds(42));
        h.server(":alice!a@h PRIVMSG #lobby :hi");
        assertEquals(Harness.START.plusSeconds(42), h.last().time());
    }

    @Test
    void aMentionOfTheOwnNickIsHighlighted() {
        Harness h = inLobby();
        h.server(":alice!a@h PRIVMSG #lobby :Carol: are you there?");
        assertTrue(h.last().highlight());
        h.server(":alice!a@h PRIVMSG #lobby :caroline is not you");
        assertFalse(h.last().highlight());
    }

    @Test
    void actionsNoticesAndPrivateMessagesAreTheirOwnKinds() {
        Harness h = inLobby();
        h.server(":alice!a@h PRIVMSG #lobby :\u0001ACTION waves\u0001");
        assertEquals(Line.Kind.ACTION, h.last().kind());
        assertEquals("waves", h.last().text());
        h.server(":alice!a@h NOTICE #lobby :heads up");
        assertEquals(Line.Kind.NOTICE, h.last().kind());
        h.server(":alice!a@h PRIVMSG carol :psst");
        Line pm = h.last();
        assertTrue(pm.direct());
        assertEquals("alice", pm.context());
        assertTrue(h.session.queries().contains("alice"), "a private message opens a conversation to complete");
        h.server(":srv NOTICE carol :*** server notice");
        assertEquals(Line.Kind.NOTICE, h.last().kind());
        assertNull(h.last().context());
    }

    @Test
    void controlCharactersAndFormattingNeverReachTheScreen() {
        Harness h = inLobby();
        h.server(":alice!a@h PRIVMSG #lobby :\u0002bold\u0002 \u000304,12red\u0003 \u001b[2Jclear\u0007");
        assertEquals("bold red [2Jclear", h.last().text());
    }

    @Test
    void ownMessagesAreShownFromTheEchoWhenEchoMessageIsOn() {
        Harness h = inLobby();
        h.commands.handle("hello all");
        assertEquals(List.of("PRIVMSG #lobby :hello all"), h.take());
        assertTrue(h.screen.lines().isEmpty(), "shown when the server echoes it");
        h.server("@time=2024-05-01T12:00:01.000Z :carol!carol@127.0.0.1 PRIVMSG #lobby :hello all");
        assertTrue(h.last().own());
        assertEquals(1, h.session.echoes());
    }

    @Test
    void ownMessagesAreShownAtOnceWithoutEchoMessage() {
        Harness h = new Harness("carol", "#lobby").registeredWithoutCaps().joined("#lobby");
        h.screen.clear();
        h.commands.handle("hello");
        assertEquals("hello", h.last().text());
        assertTrue(h.last().own());
    }

    @Test
    void historyIsRecognisedByServerTimeBeforeTheJoin() {
        Harness h = new Harness("carol", "#lobby").registered();
        h.server("@time=2024-05-01T12:00:00.500Z :carol!carol@127.0.0.1 JOIN #lobby",
                "@time=2024-04-30T09:00:00.000Z :alice!a@h PRIVMSG #lobby :yesterday",
                "@time=2024-05-01T12:00:03.000Z :alice!a@h PRIVMSG #lobby :live");
        List<Line> messages = h.lines(Line.Kind.MESSAGE);
        assertTrue(messages.get(0).history());
        assertEquals(Instant.parse("2024-04-30T09:00:00Z"), messages.get(0).time());
        assertFalse(messages.get(1).history());
    }

    @Test
    void historyIsRecognisedByTheTextStampWithoutServerTime() {
        Harness h = new Harness("carol", "#lobby").registeredWithoutCaps().joined("#lobby");
        h.server(":alice!a@h PRIVMSG #lobby :[2024-04-30 09:00:00 UTC] old news",
                ":alice!a@h PRIVMSG #lobby :\u0001ACTION [2024-04-30 09:01:00 UTC] waved\u0001");
        List<Line> lines = h.screen.matching(l -> l.kind() == Line.Kind.MESSAGE || l.kind() == Line.Kind.ACTION);
        assertEquals("old news", lines.get(0).text());
        assertTrue(lines.get(0).history());
        assertEquals(Instant.parse("2024-04-30T09:00:00Z"), lines.get(0).time());
        assertEquals("waved", lines.get(1).text());
        assertTrue(lines.get(1).history());
    }

    @Test
    void afterAReconnectTheReplayedHistoryIsNotShownTwice() {
        Harness h = new Harness("carol", "#lobby").registered();
        h.server("@time=2024-05-01T12:00:00.500Z :carol!c@h JOIN #lobby",
                "@time=2024-05-01T11:00:00.000Z :alice!a@h PRIVMSG #lobby :one",
                "@time=2024-05-01T12:00:10.000Z :alice!a@h PRIVMSG #lobby :two");
        h.session.disconnected("gone", Duration.ofSeconds(1));
        h.clock.advance(Duration.ofMinutes(1));
        h.wire = new RecordingWire();
        h.registered();
        h.screen.clear();
        h.server("@time=2024-05-01T12:01:00.500Z :carol!c@h JOIN #lobby",
                "@time=2024-05-01T11:00:00.000Z :alice!a@h PRIVMSG #lobby :one",
                "@time=2024-05-01T12:00:10.000Z :alice!a@h PRIVMSG #lobby :two",
                "@time=2024-05-01T12:00:30.000Z :alice!a@h PRIVMSG #lobby :while you were away");
        List<Line> messages = h.lines(Line.Kind.MESSAGE);
        assertEquals(1, messages.size(), h.screen.dump());
        assertEquals("while you were away", messages.get(0).text());
        assertTrue(messages.get(0).history());
    }

    @Test
    void reconnectReregistersWithTheChosenNickAndRejoinsAndRestoresAway() {
        Harness h = new Harness("carol", "#lobby").registered().joined("#lobby");
        h.commands.handle("/join #dev");
        h.joined("#dev");
        h.commands.handle("/nick carolyn");
        h.server(":carol!c@h NICK :carolyn");
        h.commands.handle("/away lunch");
        h.commands.handle("/part #dev");
        h.server(":carolyn!c@h PART #dev");
        h.session.disconnected("the server closed the connection", Duration.ofSeconds(1));
        assertFalse(h.session.isOnline());
        assertTrue(h.screen.dump().contains("reconnecting in 1 s"));
        h.wire = new RecordingWire();
        h.session.connected(h.wire);
        assertEquals(List.of("CAP LS 302", "NICK carolyn", "USER carol 0 * :carol"), h.take());
        h.server(":srv CAP * LS :server-time", ":srv CAP carolyn ACK :server-time", ":srv 001 carolyn :Welcome back");
        List<String> sent = h.take();
        assertTrue(sent.contains("AWAY :lunch"), sent.toString());
        assertTrue(sent.contains("JOIN #lobby"), sent.toString());
        assertFalse(sent.stream().anyMatch(s -> s.contains("#dev")), "a parted channel is not rejoined");
        assertTrue(h.screen.dump().contains("connected again as carolyn"));
    }

    @Test
    void theJoinedChannelBecomesTheTarget() {
        Harness h = inLobby();
        assertEquals("#lobby", h.session.target());
        h.commands.handle("/join dev");
        assertEquals(List.of("JOIN #dev"), h.take());
        assertEquals("#lobby", h.session.target(), "switches once the server confirms");
        h.joined("#dev");
        assertEquals("#dev", h.session.target());
        assertEquals("#dev", h.screen.status().target());
    }

    @Test
    void partingTheTargetMovesToTheNextChannel() {
        Harness h = inLobby();
        h.commands.handle("/join #dev");
        h.joined("#dev");
        h.commands.handle("/part");
        assertEquals(List.of("JOIN #dev", "PART #dev"), h.take());
        h.server(":carol!c@h PART #dev");
        assertEquals("#lobby", h.session.target());
        assertEquals(List.of("#lobby"), h.session.channels());
    }

    @Test
    void beingKickedLeavesTheChannelAndDoesNotRejoinIt() {
        Harness h = inLobby();
        h.server(":bob!b@h KICK #lobby carol :behave");
        Line l = h.last();
        assertEquals(Line.Kind.KICK, l.kind());
        assertTrue(l.own());
        assertEquals("bob", l.detail());
        assertFalse(h.session.isJoined("#lobby"));
        assertNull(h.session.target());
    }

    @Test
    void rosterFollowsJoinsPartsQuitsAndNickChanges() {
        Harness h = inLobby();
        assertEquals(List.of("carol", "alice", "bob"), h.session.members("#lobby"));
        h.server(":dave!d@h JOIN #lobby");
        h.server(":alice!a@h NICK :alicia");
        h.server(":bob!b@h PART #lobby :later");
        h.server(":dave!d@h QUIT :Quit: bye");
        assertEquals(List.of("carol", "alicia"), h.session.members("#lobby"));
        assertEquals(List.of(Line.Kind.JOIN, Line.Kind.NICK, Line.Kind.PART, Line.Kind.QUIT),
                h.screen.lines().stream().map(Line::kind).toList());
    }

    @Test
    void aQuitOfSomeoneWeShareNothingWithIsNotShown() {
        Harness h = inLobby();
        h.server(":stranger!s@h QUIT :bye");
        assertTrue(h.screen.lines().isEmpty());
    }

    @Test
    void completionOffersRecentSpeakersFirstAndNotOneself() {
        Harness h = inLobby();
        h.server(":bob!b@h PRIVMSG #lobby :me first", ":alice!a@h PRIVMSG #lobby :no, me");
        assertEquals(List.of("alice", "bob"), h.session.completions().nicks());
        assertEquals(List.of("#lobby"), h.session.completions().channels());
    }

    @Test
    void aNickChangeOfTheQueryPartnerMovesTheTarget() {
        Harness h = inLobby();
        h.commands.handle("/query alice");
        assertEquals("alice", h.session.target());
        h.server(":alice!a@h NICK :alicia");
        assertEquals("alicia", h.session.target());
    }

    @Test
    void namesOnJoinAndOnRequestAreShownAsOneLine() {
        Harness h = new Harness("carol", "#lobby").registered().joined("#lobby", "alice", "@bob");
        assertTrue(h.screen.dump().contains("#lobby: 3 people: carol alice @bob"), h.screen.dump());
        h.screen.clear();
        h.commands.handle("/names");
        h.server(":srv 353 carol = #lobby :carol alice", ":srv 366 carol #lobby :End");
        assertEquals("#lobby: 2 people: carol alice", h.last().text());
    }

    @Test
    void welcomeNoiseIsShownOnlyOnTheFirstConnection() {
        Harness h = new Harness("carol").registered();
        h.server(":srv 375 carol :- motd -", ":srv 372 carol :- hello -");
        assertTrue(h.screen.dump().contains("hello"));
        h.session.disconnected("x", Duration.ofSeconds(1));
        h.screen.clear();
        h.wire = new RecordingWire();
        h.registered();
        h.server(":srv 375 carol :- motd -", ":srv 372 carol :- hello -");
        assertFalse(h.screen.dump().contains("hello"), h.screen.dump());
    }

    @Test
    void errorRepliesAreErrorsAndCounted() {
        Harness h = inLobby();
        h.commands.handle("/msg nobody hi");
        h.server(":srv 401 carol nobody :No such nick/channel");
        assertEquals(Line.Kind.ERROR, h.last().kind());
        assertEquals("nobody: No such nick/channel", h.last().text());
        assertEquals(1, h.session.errors());
    }

    @Test
    void aChannelThatCannotBeJoinedIsForgotten() {
        Harness h = inLobby();
        h.commands.handle("/join #secret");
        h.server(":srv 475 carol #secret :Cannot join channel (+k)");
        h.session.disconnected("x", Duration.ofSeconds(1));
        h.wire = new RecordingWire();
        h.registered();
        assertFalse(h.sent().stream().anyMatch(s -> s.contains("#secret")));
    }

    @Test
    void ctcpVersionIsAnsweredAndOtherCtcpIsNotShownAsAMessage() {
        Harness h = inLobby();
        h.server(":alice!a@h PRIVMSG carol :\u0001VERSION\u0001");
        assertEquals(List.of("NOTICE alice :\u0001VERSION " + Session.VERSION + "\u0001"), h.take());
        assertTrue(h.lines(Line.Kind.MESSAGE).isEmpty());
    }

    @Test
    void longMessagesAreSplitSoThatTheRelayedLineFits() {
        Harness h = inLobby();
        String text = "ünïcödé ".repeat(200);
        h.commands.handle(text);
        List<String> sent = h.take();
        assertTrue(sent.size() > 1);
        String mask = "carol!carol@127.0.0.1";
        StringBuilder joined = new StringBuilder();
        for (String line : sent) {
            assertTrue(Utf8.length(":" + mask + " " + line) <= Session.LINE_MAX, line);
            joined.append(line.substring("PRIVMSG #lobby :".length())).append(' ');
        }
        assertEquals(text.strip(), joined.toString().strip());
    }

    @Test
    void sendingWhileOfflineSaysSoInsteadOfLosingTheLine() {
        Harness h = inLobby();
        h.session.disconnected("x", Duration.ofSeconds(1));
        h.take();
        h.commands.handle("anyone?");
        assertTrue(h.take().isEmpty());
        assertEquals(Line.Kind.ERROR, h.last().kind());
        assertTrue(h.last().text().contains("not connected"));
    }

    @Test
    void awaitWakesOnAServerLine() throws Exception {
        Harness h = new Harness("carol");
        h.session.connected(h.wire);
        Thread t = Thread.ofPlatform().start(() -> h.server(":srv 001 carol :Welcome"));
        assertTrue(h.session.await(Session::isOnline, Duration.ofSeconds(10)));
        t.join();
        assertFalse(h.session.await(s -> s.errors() > 0, Duration.ofMillis(20)));
    }

    @Test
    void quitSendsQuitOnceAndStopsReconnecting() {
        Harness h = inLobby();
        h.commands.handle("/quit gone fishing");
        h.commands.handle("/quit again");
        assertEquals(List.of("QUIT :gone fishing"), h.take());
        assertFalse(h.session.wantsReconnect());
    }

    @Test
    void theWantedNickIsTakenBackWhenItsHolderLeaves() {
        Harness h = new Harness("carol", "#lobby");
        h.session.connected(h.wire);
        h.server(":srv 433 * carol :Nickname is already in use", ":srv 001 carol_ :Welcome");
        h.joined("#lobby", "carol");
        h.take();
        h.server(":carol!c@old QUIT :Ping timeout: 120 seconds");
        assertEquals(List.of("NICK carol"), h.take());
        h.server(":carol_!c@h NICK :carol");
        assertEquals("carol", h.session.nick());
        h.server(":other!o@h NICK :x");
        assertTrue(h.take().isEmpty());
    }

    @Test
    void theServersClosingWordsAreShownWithTheDisconnection() {
        Harness h = inLobby();
        h.server("ERROR :Server shutting down");
        h.session.disconnected("the server closed the connection", Duration.ofSeconds(2));
        assertEquals("disconnected: the server closed the connection (Server shutting down); reconnecting in 2 s,"
                + " or /reconnect", h.last().text());
        assertEquals(1, h.lines(Line.Kind.ERROR).size());
    }

    @Test
    void ownMaskFromTheWelcomeAndTheJoinSizesTheSplit() {
        Harness h = inLobby();
        assertEquals("carol!carol@127.0.0.1", h.session.ownMask());
    }
}
