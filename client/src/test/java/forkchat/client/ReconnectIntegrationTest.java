package forkchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.irc.Line;
import forkchat.client.net.Backoff;
import forkchat.client.support.ClientUnderTest;
import forkchat.daemon.DaemonProcess;
import forkchat.daemon.IrcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon stops (SIGTERM) and a new one starts on the same port and state directory: the
 * client says it lost the connection, reconnects by itself with backoff, registers again and
 * rejoins, and the conversation goes on both ways.
 */
class ReconnectIntegrationTest {

    private static final Duration WAIT = ClientUnderTest.WAIT;

    @TempDir
    Path state;

    @Test
    void reconnectsAndRejoinsAfterTheDaemonRestarts() throws Exception {
        DaemonProcess first = DaemonProcess.start(state, "pool_min_spare=1");
        int port = first.port();
        DaemonProcess second = null;
        ClientUnderTest carol = new ClientUnderTest(port, "carol", List.of("#lobby", "#dev"),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), () -> 0L));
        try {
            assertTrue(carol.session.await(s -> s.isJoined("#lobby") && s.isJoined("#dev"), WAIT), carol.screen.dump());
            carol.session.say("#lobby", "before the restart");
            carol.screen.await(l -> l.own() && l.text().equals("before the restart"), WAIT);

            first.signal(15);
            assertEquals(0, first.awaitExit(WAIT));
            carol.screen.await(l -> l.kind() == Line.Kind.ERROR && l.text().startsWith("disconnected"), WAIT);
            assertTrue(carol.session.await(s -> !s.isOnline(), WAIT));

            second = DaemonProcess.start(state, "pool_min_spare=1", "listen=127.0.0.1:" + port);
            assertTrue(carol.session.await(s -> s.isJoined("#lobby") && s.isJoined("#dev"), WAIT),
                    "rejoined after the restart:" + carol.screen.dump());
            carol.screen.await(l -> l.text().startsWith("connected again as carol"), WAIT);
            assertEquals("carol", carol.session.nick());

            try (IrcClient alice = IrcClient.register(port, "alice")) {
                alice.join("#lobby");
                alice.send("PRIVMSG #lobby :welcome back carol");
                carol.screen.await(l -> l.text().equals("welcome back carol") && !l.history(), WAIT);
                carol.session.say("#lobby", "thanks, after the restart");
                alice.expect(l -> l.endsWith("PRIVMSG #lobby :thanks, after the restart"));
            }
            assertEquals(1, carol.screen.matching(l -> l.text().equals("before the restart")).size(),
                    "history replayed on the rejoin is not shown twice:" + carol.screen.dump());
        } finally {
            carol.close();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
