package forkchat.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.irc.Identity;
import forkchat.client.irc.Line;
import forkchat.client.irc.Session;
import forkchat.client.support.RecordingScreen;
import forkchat.client.support.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The link and the session over a real socket to a scripted server: SASL PLAIN as the IRCv3
 * spec describes it, reconnecting, the keepalive.
 */
class LinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingScreen screen = new RecordingScreen();
    private ScriptedServer server;
    private Link link;

    private Session start(Identity identity, Duration idle) throws Exception {
        server = new ScriptedServer();
        Session session = new Session(identity, List.of("#lobby"), screen, Clock.systemUTC());
        Backoff fast = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0L);
        link = new Link(new Dialer(new ServerAddress("127.0.0.1", server.port()), false, false), session, fast, idle);
        link.start();
        server.accept();
        return session;
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.stop();
            assertTrue(link.awaitEnd(WAIT), "the link thread ends when stopped");
        }
        if (server != null) {
            server.close();
        }
    }

    private void register(String nick) throws Exception {
        server.expectLine("CAP LS 302");
        server.expectLine("NICK " + nick);
        server.expect(l -> l.startsWith("USER "));
        server.send(":srv CAP * LS :server-time");
        server.expectLine("CAP REQ :server-time");
        server.send(":srv CAP " + nick + " ACK :server-time");
        server.expectLine("CAP END");
        server.send(":srv 001 " + nick + " :Welcome " + nick);
        server.expectLine("JOIN #lobby");
        server.send(":" + nick + "!u@h JOIN #lobby");
    }

    @Test
    void saslPlainLogsInOverTheWire() throws Exception {
        String password = "correct horse battery staple ".repeat(20); // long enough for several chunks
        Session session = start(new Identity("carol", null, null, "carol", password), Link.IDLE);
        server.expectLine("CAP LS 302");
        server.expectLine("NICK carol");
        server.expect(l -> l.startsWith("USER carol"));
        server.send(":srv CAP * LS * :multi-prefix sasl=PLAIN,EXTERNAL", ":srv CAP * LS :server-time echo-message");
        server.expectLine("CAP REQ :server-time echo-message sasl");
        server.send(":srv CAP carol ACK :server-time echo-message sasl");
        server.expectLine("AUTHENTICATE PLAIN");
        server.send("AUTHENTICATE +");
        StringBuilder b64 = new StringBuilder();
        while (true) {
            String line = server.expect(l -> l.startsWith("AUTHENTICATE "));
            String chunk = line.substring("AUTHENTICATE ".length());
            assertTrue(chunk.length() <= 400);
            if (!chunk.equals("+")) {
                b64.append(chunk);
            }
            if (chunk.length() < 400) {
                break;
            }
        }
        assertEquals("carol\0carol\0" + password, new String(Base64.getDecoder().decode(b64.toString()), StandardCharsets.UTF_8));
        server.send(":srv 900 carol carol!u@h carol :You are now logged in as carol", ":srv 903 carol :SASL authentication successful");
        server.expectLine("CAP END");
        server.send(":srv 001 carol :Welcome carol");
        server.expectLine("JOIN #lobby");
        assertTrue(session.await(Session::isOnline, WAIT));
    }

    @Test
    void aRefusedPasswordEndsTheLinkWithoutRetrying() throws Exception {
        Session session = start(new Identity("carol", null, null, null, "wrong"), Link.IDLE);
        server.expect(l -> l.startsWith("USER"));
        server.send(":srv CAP * LS :sasl");
        server.expectLine("CAP REQ :sasl");
        server.send(":srv CAP carol ACK :sasl");
        server.expectLine("AUTHENTICATE PLAIN");
        server.send("AUTHENTICATE +");
        server.expect(l -> l.startsWith("AUTHENTICATE "));
        server.send(":srv 904 carol :SASL authentication failed");
        server.expect(l -> l.startsWith("QUIT"));
        server.drop();
        assertTrue(link.awaitEnd(WAIT), "no reconnect after a refused password");
        assertFalse(session.wantsReconnect());
        screen.await(l -> l.kind() == Line.Kind.ERROR && l.text().contains("SASL authentication failed"), WAIT);
    }

    @Test
    void reconnectsAfterTheServerGoesAwayAndRejoins() throws Exception {
        Session session = start(Identity.of("carol"), Link.IDLE);
        register("carol");
        assertTrue(session.await(s -> s.isJoined("#lobby"), WAIT));
        server.drop();
        screen.await(l -> l.kind() == Line.Kind.ERROR && l.text().startsWith("disconnected"), WAIT);
        server.accept();
        register("carol");
        assertTrue(session.await(s -> s.isJoined("#lobby"), WAIT));
        screen.await(l -> l.text().contains("connected again"), WAIT);
    }

    @Test
    void aSilentServerIsPingedAndThenGivenUp() throws Exception {
        Session session = start(Identity.of("carol"), Duration.ofMillis(300));
        register("carol");
        server.expectLine("PING :keepalive");
        screen.await(l -> l.kind() == Line.Kind.ERROR && l.text().contains("no reply from the server"), WAIT);
        server.accept(); // and it comes back by itself
        register("carol");
        assertTrue(session.await(Session::isOnline, WAIT));
    }

    @Test
    void reconnectNowSkipsTheWait() throws Exception {
        Session session = start(Identity.of("carol"), Link.IDLE);
        register("carol");
        link.reconnectNow();
        server.accept();
        register("carol");
        assertTrue(session.await(Session::isOnline, WAIT));
    }

    @Test
    void anUnreachableServerIsRetriedWithBackoff() throws Exception {
        Session session = new Session(Identity.of("carol"), List.of(), screen, Clock.systemUTC());
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        link = new Link(new Dialer(new ServerAddress("127.0.0.1", port), false, false), session,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(50), RandomGenerator.getDefault()), Link.IDLE);
        link.start();
        screen.await(l -> l.kind() == Line.Kind.ERROR && l.text().startsWith("cannot connect"), WAIT);
        screen.await(l -> l.kind() == Line.Kind.ERROR && l.text().startsWith("cannot connect") && l != screen.lines().get(1), WAIT);
        assertTrue(session.wantsReconnect());
    }
}
