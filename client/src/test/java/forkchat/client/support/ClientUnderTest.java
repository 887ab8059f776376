package forkchat.client.support;

import forkchat.client.irc.Identity;
import forkchat.client.irc.Session;
import forkchat.client.net.Backoff;
import forkchat.client.net.Dialer;
import forkchat.client.net.Link;
import forkchat.client.net.ServerAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The client's core (session and link, no terminal) connected to a real server, with a
 * recording screen: what the terminal UI would show, ready to be asserted on.
 */
public final class ClientUnderTest implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    public final RecordingScreen screen = new RecordingScreen();
    public final Session session;
    public final Link link;

    public ClientUnderTest(int port, String nick, List<String> channels, Backoff backoff) {
        session = new Session(Identity.of(nick), channels, screen, Clock.systemUTC());
        link = new Link(new Dialer(new ServerAddress("127.0.0.1", port), false, false), session, backoff, Link.IDLE);
        link.start();
    }

    /** Connects as {@code nick}, joins {@code channels} and waits until they are joined. */
    public static ClientUnderTest joined(int port, String nick, String... channels) throws InterruptedException {
        ClientUnderTest c = new ClientUnderTest(port, nick, List.of(channels), Backoff.standard());
        if (!c.session.await(s -> List.of(channels).stream().allMatch(s::isJoined), WAIT)) {
            c.close();
            throw new AssertionError(nick + " did not join " + List.of(channels) + "; shown:" + c.screen.dump());
        }
        return c;
    }

    @Override
    public void close() {
        session.quit("test over");
        try {
            link.awaitEnd(Duration.ofSeconds(5));
            link.stop();
            link.awaitEnd(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            link.stop();
            Thread.currentThread().interrupt();
        }
    }
}
