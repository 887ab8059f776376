package forkchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.IrcMessage;
import forkchat.chat.Utf8;
import forkchat.client.irc.Line;
import forkchat.client.support.ClientUnderTest;
import forkchat.client.support.SharedDaemon;
import forkchat.daemon.IrcClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import forkchat.daemon.DaemonProcess;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client's core against a real forkchatd on loopback, with a raw IRC client as the other person. */
@ExtendWith(SharedDaemon.class)
class ChatIntegrationTest {

    private static final Duration WAIT = ClientUnderTest.WAIT;
    private int port;

    @BeforeEach
    void daemon(DaemonProcess daemon) {
        port = daemon.port();
    }

    @Test
    void chatGoesBothWays() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice1")) {
            alice.join("#both");
            try (ClientUnderTest carol = ClientUnderTest.joined(port, "carol1", "#both")) {
                alice.expect(l -> l.contains("JOIN #both") && l.contains("carol1"));
                alice.send("PRIVMSG #both :hello carol1, welcome");
                Line in = carol.screen.await(l -> l.kind() == Line.Kind.MESSAGE && l.text().equals("hello carol1, welcome"), WAIT);
                assertEquals("alice1", in.nick());
                assertEquals("#both", in.context());
                assertTrue(in.highlight(), "mentions carol1");
                assertFalse(in.history());

                carol.session.say("#both", "hi alice1 ünïcode ✓");
                alice.expect(l -> l.startsWith(":carol1!") && l.endsWith("PRIVMSG #both :hi alice1 ünïcode ✓"));
                Line own = carol.screen.await(l -> l.own() && l.kind() == Line.Kind.MESSAGE, WAIT);
                assertEquals("hi alice1 ünïcode ✓", own.text(), "shown from the server's echo");

                carol.session.act("#both", "waves");
                alice.expect(l -> l.endsWith("PRIVMSG #both :\u0001ACTION waves\u0001"));
            }
            alice.expect(l -> l.startsWith(":carol1!") && l.contains("QUIT"));
        }
    }

    @Test
    void privateMessagesBothWays() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice2");
             ClientUnderTest carol = ClientUnderTest.joined(port, "carol2", "#pm")) {
            new forkchat.client.irc.Commands(carol.session).handle("/msg alice2 just between us");
            alice.expect(l -> l.startsWith(":carol2!") && l.endsWith("PRIVMSG alice2 :just between us"));
            alice.send("PRIVMSG carol2 :secret reply");
            Line pm = carol.screen.await(l -> l.text().equals("secret reply"), WAIT);
            assertTrue(pm.direct());
            assertEquals("alice2", pm.context());
            assertTrue(carol.session.queries().contains("alice2"));
        }
    }

    @Test
    void historyFromBeforeTheJoinIsMarked() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice3")) {
            alice.join("#hist");
            alice.send("PRIVMSG #hist :said before carol came");
            alice.send("PING :sync");
            alice.expect(l -> l.contains("PONG") && l.contains("sync"));
            try (ClientUnderTest carol = ClientUnderTest.joined(port, "carol3", "#hist")) {
                Line old = carol.screen.await(l -> l.text().equals("said before carol came"), WAIT);
                assertTrue(old.history());
                alice.send("PRIVMSG #hist :said after");
                Line live = carol.screen.await(l -> l.text().equals("said after"), WAIT);
                assertFalse(live.history());
            }
        }
    }

    @Test
    void aTakenNickGetsAnAlternative() throws Exception {
        try (IrcClient first = IrcClient.register(port, "dave4");
             ClientUnderTest second = ClientUnderTest.joined(port, "dave4", "#alt")) {
            assertEquals("dave4_", second.session.nick());
            assertTrue(first.nick.equals("dave4"));
        }
    }

    @Test
    void longLinesArriveWholeInPiecesUnder512Bytes() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice5")) {
            alice.join("#long");
            try (ClientUnderTest carol = ClientUnderTest.joined(port, "carol5", "#long")) {
                String text = "Ünïcödé wörds and emoji 😀 ".repeat(60);
                carol.session.say("#long", text);
                int pieces = carol.session.sent();
                assertTrue(pieces > 2, "split into " + pieces);
                List<String> got = new ArrayList<>();
                for (int i = 0; i < pieces; i++) {
                    String line = alice.expect(l -> l.startsWith(":carol5!") && l.contains(" PRIVMSG #long :"));
                    assertTrue(Utf8.length(line) + 2 <= 512, "relayed line of " + Utf8.length(line) + " bytes");
                    got.add(IrcMessage.parse(line).param(1));
                }
                assertEquals(text.strip(), String.join(" ", got).strip());
            }
        }
    }

    @Test
    void namesWhoAndTopicRepliesAreShown() throws Exception {
        try (ClientUnderTest carol = ClientUnderTest.joined(port, "carol6", "#info")) {
            forkchat.client.irc.Commands commands = new forkchat.client.irc.Commands(carol.session);
            commands.handle("/topic all about tests");
            carol.screen.await(l -> l.kind() == Line.Kind.TOPIC && l.text().equals("all about tests"), WAIT);
            commands.handle("/names");
            carol.screen.await(l -> l.kind() == Line.Kind.INFO && l.text().startsWith("#info: 1 person"), WAIT);
            commands.handle("/who #info");
            carol.screen.await(l -> l.kind() == Line.Kind.INFO && l.text().startsWith("carol6 ("), WAIT);
            commands.handle("/away back soon");
            carol.screen.await(l -> l.kind() == Line.Kind.INFO && l.text().toLowerCase().contains("away"), WAIT);
            assertTrue(carol.screen.status().away());
        }
    }
}
