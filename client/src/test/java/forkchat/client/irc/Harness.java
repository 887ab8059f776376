package forkchat.client.irc;

import forkchat.client.support.ManualClock;
import forkchat.client.support.RecordingScreen;
import forkchat.client.support.RecordingWire;
import java.time.Instant;
import java.util.List;

/** A session with a recording screen and wire and a manual clock: the server is the test. */
final class Harness {

    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    final ManualClock clock = new ManualClock(START);
    final RecordingScreen screen = new RecordingScreen();
    RecordingWire wire = new RecordingWire();
    final Session session;
    final Commands commands;

    Harness(Identity identity, List<String> channels) {
        session = new Session(identity, channels, screen, clock);
        commands = new Commands(session);
    }

    Harness(String nick, String... channels) {
        this(Identity.of(nick), List.of(channels));
    }

    /** The server says {@code lines}. */
    Harness server(String... lines) {
        for (String l : lines) {
            session.receive(l);
        }
        return this;
    }

    /** Connects and goes through registration with the capabilities forkchatd offers. */
    Harness registered() {
        session.connected(wire);
        String nick = session.nick();
        server(":srv CAP * LS :server-time message-tags echo-message",
                ":srv CAP * ACK :server-time echo-message",
                ":srv 001 " + nick + " :Welcome to the network " + nick + "!" + nick + "@127.0.0.1",
                ":srv 005 " + nick + " CASEMAPPING=ascii CHANTYPES=# PREFIX=(o)@ :are supported by this server");
        return this;
    }

    /** Connects and registers without CAP (an RFC 2812 server). */
    Harness registeredWithoutCaps() {
        session.connected(wire);
        String nick = session.nick();
        server(":srv 421 " + nick + " CAP :Unknown command",
                ":srv 001 " + nick + " :Welcome " + nick);
        return this;
    }

    /** The server confirms our join of {@code channel}, with members. */
    Harness joined(String channel, String... others) {
        String nick = session.nick();
        server(":" + nick + "!" + nick + "@127.0.0.1 JOIN " + channel,
                ":srv 353 " + nick + " = " + channel + " :" + nick + " " + String.join(" ", others),
                ":srv 366 " + nick + " " + channel + " :End of /NAMES list");
        return this;
    }

    List<String> sent() {
        return wire.sent();
    }

    List<String> take() {
        return wire.take();
    }

    Line last() {
        List<Line> lines = screen.lines();
        return lines.get(lines.size() - 1);
    }

    /** Lines of the given kind. */
    List<Line> lines(Line.Kind kind) {
        return screen.matching(l -> l.kind() == kind);
    }
}
