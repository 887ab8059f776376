package forkchat.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Test fixture: several sessions (as if in several workers) over one {@link MemoryLog}, a fake
 * clock, an account store, and clients that record what their session sends them. No sockets,
 * no threads. Account passwords are hashed with few iterations, to keep the tests fast.
 */
final class TestNet {

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final MemoryLog log = new MemoryLog(clock::get);
    final ChatConfig config;
    final List<Client> clients = new ArrayList<>();
    /** Folded account name to stored hash. */
    final Map<String, String> store = new HashMap<>();
    final Accounts accounts = name -> store.get(Names.fold(name));

    /** Iterations of the fixture's password hashes. */
    static final int TEST_ITERATIONS = 1_000;

    TestNet() {
        this(ChatConfig.defaults());
    }

    TestNet(ChatConfig config) {
        this.config = config;
    }

    static ChatConfig config(int historyOnJoin, int maxChannels, List<String> motd) {
        ChatConfig d = ChatConfig.defaults();
        return new ChatConfig(d.serverName(), d.network(), d.version(), d.createdAt(), motd, historyOnJoin,
                d.pingIntervalMillis(), d.pingTimeoutMillis(), d.registrationTimeoutMillis(), maxChannels,
                d.auth(), d.offlineDeliveryMax(), d.floodLineCostMillis(), d.floodBurstLines(), d.floodExcessMillis());
    }

    /** An accounts-mode network with the default settings. */
    static TestNet withAccounts() {
        return new TestNet(ChatConfig.defaults().withAuth(AuthMode.ACCOUNTS));
    }

    static ChatConfig config(AuthMode auth, int offlineDeliveryMax, long floodLineCost, int floodBurst,
                             long floodExcess) {
        ChatConfig d = ChatConfig.defaults();
        return new ChatConfig(d.serverName(), d.network(), d.version(), d.createdAt(), d.motd(), d.historyOnJoin(),
                d.pingIntervalMillis(), d.pingTimeoutMillis(), d.registrationTimeoutMillis(),
                d.maxChannelsPerClient(), auth, offlineDeliveryMax, floodLineCost, floodBurst, floodExcess);
    }

    /** Creates (or replaces) an account. */
    void addAccount(String name, String password) {
        store.put(Names.fold(name), PasswordHash.hash(password.toCharArray(), TEST_ITERATIONS));
    }

    /** Connects and registers {@code nick} with PASS, then forgets the welcome burst (and what follows it). */
    Client loggedIn(String sessionId, String nick, String password) {
        Client c = connect(sessionId);
        c.say("PASS " + password);
        return register(c, nick);
    }

    /** A new connection: its worker catches a World up, then starts the session. */
    Client connect(String sessionId) {
        Client c = new Client(sessionId, true);
        clients.add(c);
        return c;
    }

    /** A new connection the host does not call secure: plain text from a non-loopback address. */
    Client connectInsecure(String sessionId) {
        Client c = new Client(sessionId, false);
        clients.add(c);
        return c;
    }

    /** Connects and registers {@code nick} (no CAP), then forgets the welcome burst. */
    Client registered(String sessionId, String nick) {
        return register(connect(sessionId), nick);
    }

    /** NICK and USER, which must complete registration; then forgets what came back. */
    private Client register(Client c, String nick) {
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

        Client(String id, boolean secure) {
            this.id = id;
            journal.catchUp(world::apply);
            session = new Session(config, world, journal, this, this, accounts, id, "host-" + id, clock::get, secure);
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
            if (line.contains("\r") || line.contains("\n") || line.contains("\0")) {
                throw new AssertionError("line with CR/LF/NUL: " + line);
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
        public void authenticated(String account) {
            events.add("authenticated " + account);
        }

        @Override
        public void authenticationFailed(String account) {
            events.add("failed " + account);
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
