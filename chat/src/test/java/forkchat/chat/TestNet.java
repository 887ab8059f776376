package forkchat.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Test fixture: several sessions (as if in several workers) over one {@link MemoryLog}, a fake
 * clock, and clients that record what their session sends them. No sockets, no threads.
 */
final class TestNet {

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final MemoryLog log = new MemoryLog(clock::get);
    final ChatConfig config;
    final List<Client> clients = new ArrayList<>();

    TestNet() {
        this(ChatConfig.defaults());
    }

    TestNet(ChatConfig config) {
        this.config = config;
    }

    static ChatConfig config(int historyOnJoin, int maxChannels, List<String> motd) {
        ChatConfig d = ChatConfig.defaults();
        return new ChatConfig(d.serverName(), d.network(), d.version(), d.createdAt(), motd, historyOnJoin,
                d.pingIntervalMillis(), d.pingTimeoutMillis(), d.registrationTimeoutMillis(), maxChannels);
    }

    /** A new connection: its worker catches a World up, then starts the session. */
    Client connect(String sessionId) {
        Client c = new Client(sessionId);
        clients.add(c);
        return c;
    }

    /** Connects and registers {@code nick} (no CAP), then forgets the welcome burst. */
    Client registered(String sessionId, String nick) {
        Client c = connect(sessionId);
        c.say("NICK " + nick);
        c.say("USER " + nick.toLowerCase() + " 0 * :Real " + nick);
        if (!c.session.isRegistered()) {
            throw new AssertionError(nick + " did not register: " + c.lines);
        }
        pump();
        c.clear();
        return c;
    }

    /** Rings every doorbell: each open session catches up. */
    void pump() {
        for (Client c : clients) {
            c.session.catchUp();
        }
    }

    void advance(long millis) {
        clock.addAndGet(millis);
    }

    final class Client implements ClientSink, SessionObserver {
        final String id;
        final World world = new World();
        final Journal journal = log.journal();
        final Session session;
        final List<String> lines = new ArrayList<>();
        boolean closed;
        final List<String> events = new ArrayList<>();

        Client(String id) {
            this.id = id;
            journal.catchUp(world::apply);
            session = new Session(config, world, journal, this, this, id, "host-" + id, clock::get);
        }

        /** One line from the client; afterwards every other session catches up (doorbell). */
        void say(String line) {
            session.onLine(line.getBytes(StandardCharsets.UTF_8));
            pump();
        }

        void sayBytes(byte[] line) {
            session.onLine(line);
            pump();
        }

        /** Everything received so far, and forget it. */
        List<String> take() {
            List<String> copy = List.copyOf(lines);
            lines.clear();
            return copy;
        }

        void clear() {
            lines.clear();
        }

        /** Lines received whose text contains {@code part}. */
        List<String> matching(String part) {
            return lines.stream().filter(l -> l.contains(part)).toList();
        }

        /** Lines with numeric/command {@code code} (the second word, after an optional tag and source). */
        List<String> withCommand(String code) {
            return lines.stream().filter(command(code)).toList();
        }

        boolean received(String exact) {
            return lines.contains(exact);
        }

        @Override
        public void send(String line) {
            if (closed) {
                throw new AssertionError("line after close: " + line);
            }
            if (line.contains("\r") || line.contains("\n")) {
                throw new AssertionError("line with CR/LF: " + line);
            }
            IrcMessage parsed = IrcMessage.parse(line);
            String untagged = parsed.tags().isEmpty() ? line : line.substring(line.indexOf(' ') + 1);
            if (Utf8.length(untagged) > 510) {
                throw new AssertionError("line over 510 bytes: " + line);
            }
            lines.add(line);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void registered(String nick) {
            events.add("registered " + nick);
        }

        @Override
        public void nickChanged(String nick) {
            events.add("nick " + nick);
        }

        @Override
        public void ended(String reason) {
            events.add("ended " + reason);
        }
    }

    static Predicate<String> command(String code) {
        return line -> {
            IrcMessage m = IrcMessage.parse(line);
            return m.command().equals(code);
        };
    }
}
