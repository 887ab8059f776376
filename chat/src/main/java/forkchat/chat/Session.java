package forkchat.chat;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static forkchat.chat.Numerics.*;

/**
 * One client's IRC session as a pure state machine ("sans-IO"). It reads lines, writes lines to a
 * {@link ClientSink}, and reads and writes the log only through a {@link Journal}. Not
 * thread-safe: its host serialises every call (one lock per session).
 *
 * <p>This class is the dispatcher and the lifecycle; the work lives in {@link Registration}
 * (NICK, USER, PASS, CAP, welcome), {@link Login} and {@link Sasl} (accounts),
 * {@link ChannelCommands}, {@link MessageCommands}, {@link UserCommands}, {@link Delivery} (what
 * each log entry means for this client), {@link OfflineDelivery} (what an account missed),
 * {@link Keepalive} (timers) and {@link FloodControl} (how fast the client may send). Every
 * append is followed by a catch-up, so the client's own actions come back to it from the log in
 * the same order every other session sees them.
 *
 * <p>Nothing a client sends can make a call throw: a line that is not UTF-8 is read as
 * ISO-8859-1, a line that does not parse is ignored, and an unexpected exception while handling
 * a command is logged and answered with 400. A log write failure is answered with
 * {@code FAIL <command> WRITE_FAILED} and the session goes on. Once closed, every call is a no-op.
 *
 * <p>What the host does besides feeding lines: call {@link #tick()} every second; after feeding
 * the lines of one read, wait {@link #readDelayMillis()} before reading again (flood control);
 * implement {@link SessionObserver#authenticationFailed} to slow down and ban addresses; read
 * {@link #account()} to learn who the client proved it is. In the accounts mode a password check
 * (one PBKDF2 derivation, about 0.15 s of CPU) runs inside {@link #onLine} for SASL PLAIN and for
 * the line that completes registration after PASS.
 */
public final class Session {

    private record Command(int minParams, boolean beforeRegistration, Consumer<IrcMessage> handler) {
    }

    private final SessionContext s;
    private final Registration registration;
    private final Keepalive keepalive;
    private final FloodControl flood;
    private final Map<String, Command> commands = new HashMap<>();
    /** Lines that arrived while a password check was out, already charged to flood control. */
    private final ArrayDeque<IrcMessage> held = new ArrayDeque<>();

    /** Lines a client may send while its password is being checked (a pipelined registration is a few). */
    static final int MAX_HELD_LINES = 100;

    /** A session whose host has no account store ({@link Accounts#NONE}): for the open mode. */
    public Session(ChatConfig config, World world, Journal journal, ClientSink out, SessionObserver observer,
                   String sessionId, String host, LongSupplier clock) {
        this(config, world, journal, out, observer, Accounts.NONE, sessionId, host, clock);
    }

    /**
     * @param world     the fold, already caught up to the journal's cursor
     * @param accounts  the account store (used in the accounts mode only)
     * @param sessionId the connection's id, unique within this run of the daemon
     * @param host      the client's address as shown in nick!user@host
     * @param clock     milliseconds (System::currentTimeMillis in production)
     */
    public Session(ChatConfig config, World world, Journal journal, ClientSink out, SessionObserver observer,
                   Accounts accounts, String sessionId, String host, LongSupplier clock) {
        this(config, world, journal, out, observer, accounts, sessionId, host, clock, true);
    }

    /**
     * @param secure whether passwords may be sent on this connection (TLS, or a loopback peer):
     *               with {@link ChatConfig#loginRequiresTls()} set, an insecure connection is
     *               offered no SASL, and a login attempt on it is refused without checking the
     *               password
     */
    public Session(ChatConfig config, World world, Journal journal, ClientSink out, SessionObserver observer,
                   Accounts accounts, String sessionId, String host, LongSupplier clock, boolean secure) {
        this.s = new SessionContext(config, world, journal, out, observer, accounts, sessionId, host, clock, secure);
        ChannelCommands channels = new ChannelCommands(s);
        Login login = new Login(s);
        this.registration = new Registration(s, login, new OfflineDelivery(s, channels));
        MessageCommands messages = new MessageCommands(s);
        UserCommands users = new UserCommands(s);
        s.deliverWith(new Delivery(s, registration, channels));
        s.resumeWith(this::handleHeld);
        this.keepalive = new Keepalive(config, clock.getAsLong());
        this.flood = new FloodControl(config);

        command("CAP", 1, true, registration::cap);
        command("NICK", 0, true, registration::nick);
        command("USER", 0, true, registration::user);
        command("PASS", 0, true, registration::pass);
        if (s.accountsMode()) {
            command("AUTHENTICATE", 1, true, new Sasl(s, login)::authenticate);
        }
        command("PING", 1, true, this::ping);
        command("PONG", 0, true, m -> {
        });
        command("QUIT", 0, true, this::quit);
        command("JOIN", 1, false, channels::join);
        command("PART", 1, false, channels::part);
        command("TOPIC", 1, false, channels::topic);
        command("NAMES", 0, false, channels::names);
        command("LIST", 0, false, channels::list);
        command("PRIVMSG", 0, false, messages::privmsg);
        command("NOTICE", 0, false, messages::notice);
        command("WHO", 0, false, users::who);
        command("WHOIS", 0, false, users::whois);
        command("AWAY", 0, false, users::away);
        command("MODE", 1, false, m -> {
            if (Names.isChannel(m.param(0))) {
                channels.mode(m);
            } else {
                users.mode(m);
            }
        });
    }

    private void command(String name, int minParams, boolean beforeRegistration, Consumer<IrcMessage> handler) {
        commands.put(name, new Command(minParams, beforeRegistration, handler));
    }

    /** A whole line from the client, without its line ending. */
    public void onLine(byte[] line) {
        if (s.closed) {
            return;
        }
        String text = SessionContext.clean(Utf8.decodeLenient(line));
        IrcMessage message = null;
        if (!text.isBlank()) {
            try {
                message = IrcMessage.parse(text);
            } catch (IllegalArgumentException e) {
                // tags or a source without a command: nothing to answer (the line still costs)
            }
        }
        if (heard(message == null ? null : message.command()) && message != null) {
            handleOrHold(message);
        }
    }

    /**
     * Where password derivations run; {@link PasswordChecker#INLINE} unless the host says
     * otherwise, before the first line (an event loop hands them to another thread).
     */
    public void checkPasswordsWith(PasswordChecker checker) {
        s.checker = checker;
    }

    private void handleOrHold(IrcMessage message) {
        if (!s.checking && held.isEmpty()) {
            handle(message);
            return;
        }
        if (held.size() >= MAX_HELD_LINES) {
            guarded("excess flood", () -> s.end(s.closingLink("Excess Flood"), "Excess Flood", "Excess Flood"));
            return;
        }
        held.add(message);
    }

    /** After a password check: the held lines, in order, until they are done or another check starts. */
    private void handleHeld() {
        while (!s.checking && !s.closed && !held.isEmpty()) {
            handle(held.poll());
        }
    }

    /** Handles one parsed message (also the entry point for tests and embedders). */
    public void onMessage(IrcMessage message) {
        if (s.closed) {
            return;
        }
        if (heard(message.command())) {
            handleOrHold(message);
        }
    }

    /**
     * Every line from the client is life (keepalive) and costs (flood control). Returns false
     * when the line pushed the client past the excess-flood limit: the session has ended.
     */
    private boolean heard(String command) {
        long now = s.clock.getAsLong();
        keepalive.heard(now);
        if (!flood.charge(command, now)) {
            return true;
        }
        guarded("excess flood", () -> s.end(s.closingLink("Excess Flood"), "Excess Flood", "Excess Flood"));
        return false;
    }

    private void handle(IrcMessage message) {
        String name = message.command();
        // Whatever another session wrote and did not ring for (a registration, an AWAY) counts
        // from the next command on: read it now, so WHOIS and a private message's 301 see it.
        s.catchUp();
        if (s.closed) {
            return;
        }
        try {
            Command command = commands.get(name);
            if (!s.registered && (command == null || !command.beforeRegistration())) {
                s.numeric(ERR_NOTREGISTERED, "You have not registered");
                return;
            }
            if (command == null) {
                s.numeric(ERR_UNKNOWNCOMMAND, name, "Unknown command");
                return;
            }
            if (message.paramCount() < command.minParams()) {
                s.numeric(ERR_NEEDMOREPARAMS, name, "Not enough parameters");
                return;
            }
            command.handler().accept(message);
        } catch (JournalException e) {
            s.writeFailed(name, e);
        } catch (RuntimeException e) {
            SessionContext.LOG.error("session {}: {} failed", s.id, name, e);
            guarded("error reply", () -> s.numeric(ERR_UNKNOWNERROR, name, "Internal server error"));
        }
    }

    /** Runs host-facing work so that nothing escapes to the host's reader or sender thread. */
    private void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            SessionContext.LOG.error("session {}: {} failed", s.id, what, e);
        }
    }

    /** The framer discarded a line that was too long: 417, the connection stays. */
    public void onLineTooLong() {
        if (s.closed || !heard(null)) {
            return;
        }
        guarded("417", () -> s.numeric(ERR_INPUTTOOLONG, "Input line was too long"));
    }

    /** Reads and delivers every new entry of the journal (on a doorbell ring or timeout). */
    public void catchUp() {
        if (s.closed) {
            return;
        }
        try {
            s.catchUp();
        } catch (RuntimeException e) {
            SessionContext.LOG.error("session {}: catch-up failed", s.id, e);
        }
    }

    /** Timers: registration timeout, PING keepalive and ping timeout. Called at least once a second. */
    public void tick() {
        if (s.closed) {
            return;
        }
        guarded("tick", this::timers);
    }

    private void timers() {
        long now = s.clock.getAsLong();
        switch (keepalive.check(now, s.registered)) {
            case REGISTRATION_TIMEOUT -> s.end(s.closingLink("Registration timed out"), null, "Registration timed out");
            case SEND_PING -> s.send("PING :" + s.config.serverName());
            case PING_TIMEOUT -> {
                String reason = "Ping timeout: " + keepalive.silentSeconds(now) + " seconds";
                s.end(s.closingLink(reason), reason, reason);
            }
            case NOTHING -> {
            }
        }
    }

    /** The client's connection ended (EOF or error): appends its Quit if registered; ends the session. */
    public void onDisconnect(String reason) {
        String why = reason == null || reason.isBlank() ? "Connection closed" : reason;
        guarded("disconnect", () -> s.end(null, why, why));
    }

    /** The server stops: sends ERROR :reason, appends the Quit, closes. */
    public void onServerShutdown(String reason) {
        String why = reason == null || reason.isBlank() ? "Server shutting down" : reason;
        guarded("shutdown", () -> s.end("ERROR :" + why, why, why));
    }

    public boolean isClosed() {
        return s.closed;
    }

    public boolean isRegistered() {
        return s.registered;
    }

    /**
     * How long the host should wait before it reads (or feeds) the client's next line: 0 when the
     * client may send, more once it used up its burst ({@link FloodControl}).
     */
    public long readDelayMillis() {
        return s.closed ? 0 : flood.readDelayMillis(s.clock.getAsLong());
    }

    /** The account the client proved it owns (SASL PLAIN or PASS), or null when it has not. */
    public String account() {
        return s.account;
    }

    /** The current nick, or null before one was accepted. */
    public String nick() {
        return s.nick;
    }

    /** The connection's id. */
    public String sessionId() {
        return s.id;
    }

    /** The capabilities this client negotiated. */
    public Capabilities capabilities() {
        return s.caps;
    }

    private void ping(IrcMessage m) {
        s.send(s.replies.fromServer("PONG", s.config.serverName(), m.param(0)));
    }

    private void quit(IrcMessage m) {
        String given = m.paramCount() > 0 ? m.param(0).trim() : "";
        String reason = given.isEmpty() ? "Client Quit" : "Quit: " + given;
        String head = ":" + s.mask() + " QUIT :";
        reason = Replies.fit(head, reason);
        s.end(s.closingLink(reason), reason, reason);
    }
}
