package forkchat.client.irc;

import forkchat.chat.IrcMessage;
import forkchat.chat.Names;
import forkchat.chat.Utf8;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The client's IRC state and everything it says to the server, without a terminal or a socket:
 * the sans-I/O core that the terminal UI, {@code send} and {@code tail} share and that the unit
 * tests drive line by line. Lines from the server go in through {@link #receive}; what the user
 * should see comes out through a {@link Screen}, what the server should hear through a
 * {@link Wire}.
 *
 * <p>Two kinds of state: what belongs to one connection (registration, joined channels and their
 * members, capabilities) is reset by {@link #connected}; what the user chose (the channels they
 * want to be in, their nick, the current target, away) survives reconnects, so that a new
 * connection re-registers and rejoins by itself. History replayed by the server is recognised
 * (server-time before this connection began, or forkchatd's text stamp) and shown as history;
 * after a reconnect, replayed lines the user has already seen are not shown again.
 *
 * <p>Thread safety: every public method holds the session's monitor. The connection's reader
 * thread and the input thread both call in; {@link #await} lets scripts wait for a state
 * without polling. The {@link Screen} is called with the monitor held.
 */
public final class Session {

    /** Longest line sent, without CR LF (RFC 1459: 512 with CR LF). */
    public static final int LINE_MAX = 510;

    /** Longest host name assumed when the server has not shown the client its own mask. */
    static final int HOST_MAX = 63;

    /** The name and version given to a CTCP VERSION request. */
    public static final String VERSION = "forkchat 0.1 (terminal IRC client)";

    final Identity identity;
    final Screen screen;
    final InstantSource clock;

    // Survives reconnects: what the user wants.
    final Map<String, String> wanted = new LinkedHashMap<>();
    final List<String> queries = new ArrayList<>();
    final Map<String, Instant> lastSeen = new HashMap<>();
    final Set<String> everJoined = new HashSet<>();
    String preferredNick;
    String target;
    String away;
    boolean everRegistered;
    boolean quitting;
    boolean ended;
    String fatal;

    // One connection.
    Wire wire;
    Registration registration;
    Roster roster = new Roster();
    Instant connectedAt;
    boolean reconnected;
    String closing;
    String mask;
    final Map<String, Instant> joinedAt = new HashMap<>();
    final Set<String> switchOnJoin = new HashSet<>();
    final Set<String> namesWanted = new HashSet<>();
    final Map<String, List<String>> namesReply = new HashMap<>();

    // Counters for scripts (send waits for its echoes, fails on errors).
    int sent;
    int echoes;
    int errors;
    String lastError;
    final Set<String> pongs = new LinkedHashSet<>();

    private final Incoming incoming;
    private volatile Completions completions = new Completions(List.of(), List.of(), List.of(), null);

    /**
     * @param identity who to register as
     * @param channels channels to join after registering (and again after every reconnect)
     * @param screen   where lines go
     * @param clock    the time of lines without server-time, and of "now"
     */
    public Session(Identity identity, List<String> channels, Screen screen, InstantSource clock) {
        this.identity = identity;
        this.screen = screen;
        this.clock = clock;
        this.preferredNick = identity.nick();
        for (String c : channels) {
            wanted.putIfAbsent(Names.fold(c), c);
        }
        target = channels.isEmpty() ? null : channels.get(0);
        incoming = new Incoming(this);
    }

    // ---- the connection's life (called by the link) ----

    /** A new connection is up: registers on it. */
    public synchronized void connected(Wire newWire) {
        wire = newWire;
        connectedAt = clock.instant();
        roster = new Roster();
        mask = null;
        closing = null;
        reconnected = false;
        joinedAt.clear();
        switchOnJoin.clear();
        namesWanted.clear();
        namesReply.clear();
        registration = new Registration(identity, preferredNick, newWire);
        registration.start();
        changed();
    }

    /** One line from the server (without CR LF). */
    public synchronized void receive(String raw) {
        IrcMessage m;
        try {
            m = IrcMessage.parse(raw);
        } catch (IllegalArgumentException e) {
            return; // not a message: nothing to show
        }
        if ("PING".equals(m.command())) {
            send("PONG :" + (m.paramCount() == 0 ? "" : m.param(m.paramCount() - 1)));
            return;
        }
        if (registration != null && registration.handle(m)) {
            if (registration.failure() != null && fatal == null) {
                fatal = registration.failure();
                show(Line.error(now(), fatal + "; not reconnecting (/reconnect tries again)"));
                send("QUIT :registration failed");
            }
        } else {
            incoming.handle(m);
        }
        changed();
    }

    /**
     * The connection ended (EOF, error, or after our QUIT).
     *
     * @param reason what happened, for the user
     * @param retry  when the link connects again, or null when it will not
     */
    public synchronized void disconnected(String reason, Duration retry) {
        wire = null;
        roster = new Roster();
        ended = retry == null;
        if (!quitting && fatal == null) {
            String why = closing != null ? reason + " (" + closing + ")" : reason;
            show(Line.error(now(), "disconnected: " + why + (retry == null ? "" : "; reconnecting in " + seconds(retry)
                    + ", or /reconnect")));
        }
        closing = null;
        changed();
    }

    /** Connecting failed; {@code retry} as for {@link #disconnected}. */
    public synchronized void connectFailed(String address, String reason, Duration retry) {
        ended = retry == null;
        show(Line.error(now(), "cannot connect to " + address + ": " + reason
                + (retry == null ? "" : "; next try in " + seconds(retry))));
        changed();
    }

    private static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 500) / 1000) + " s";
    }

    /** The link is connecting to {@code address}. */
    public synchronized void connecting(String address) {
        ended = false;
        show(Line.info(now(), "connecting to " + address + " ..."));
    }

    /** The server has been silent for a while: ask it for a sign of life. */
    public synchronized void idle() {
        send("PING :keepalive");
    }

    /** Whether the link should connect again after this connection ends. */
    public synchronized boolean wantsReconnect() {
        return !quitting && fatal == null;
    }

    /** Clears a registration failure so that the next connection tries again (/reconnect). */
    public synchronized void clearFailure() {
        fatal = null;
        quitting = false;
    }

    // ---- what the user does (called by the command interpreter and the scripts) ----

    /** Sends {@code text} to {@code to} (a channel or nick); several lines become several messages. */
    public synchronized void say(String to, String text) {
        for (String line : text.split("\r?\n|\r")) {
            if (!line.isEmpty()) {
                privmsg(to, line, false);
            }
        }
    }

    /** Sends {@code /me text} to {@code to}. */
    public synchronized void act(String to, String text) {
        privmsg(to, text.replaceAll("[\r\n]+", " "), true);
    }

    private void privmsg(String to, String text, boolean action) {
        if (!requireOnline()) {
            return;
        }
        rememberQuery(to);
        String head = "PRIVMSG " + to + " :";
        int budget = LINE_MAX - Utf8.length(":" + ownMask() + " " + head) - (action ? Ctcp.action("").length() : 0);
        for (String piece : MessageSplitter.split(text, budget)) {
            send(head + (action ? Ctcp.action(piece) : piece));
            sent++;
            if (!hasCap("echo-message")) {
                show(incoming.messageLine(now(), action ? Line.Kind.ACTION : Line.Kind.MESSAGE,
                        nick(), to, piece, true, false));
            }
        }
    }

    /** Joins {@code channels} (comma-separated) and makes the first the target once joined. */
    public synchronized void join(String channels, String key) {
        List<String> names = new ArrayList<>();
        for (String c : channels.split(",")) {
            if (!c.isEmpty()) {
                names.add(roster.isupport().isChannel(c) ? c : "#" + c);
            }
        }
        if (names.isEmpty()) {
            return;
        }
        for (String c : names) {
            wanted.putIfAbsent(Names.fold(c), c);
        }
        if (roster.isJoined(names.get(0))) {
            switchTo(names.get(0));
        } else {
            switchOnJoin.add(roster.isupport().fold(names.get(0)));
        }
        if (isOnline()) {
            send("JOIN " + String.join(",", names) + (key == null || key.isEmpty() ? "" : " " + key));
        } else {
            show(Line.info(now(), "not connected: joining " + String.join(",", names) + " when the connection is back"));
        }
    }

    /** Leaves {@code channel} and does not rejoin it after a reconnect. */
    public synchronized void part(String channel, String reason) {
        wanted.remove(Names.fold(channel));
        if (!isOnline()) {
            show(Line.info(now(), "not connected: " + channel + " will not be rejoined"));
            if (roster.isupport().same(target, channel)) {
                target = wanted.isEmpty() ? null : wanted.values().iterator().next();
                changed();
            }
        } else {
            send("PART " + channel + (reason == null || reason.isEmpty() ? "" : " :" + fit("PART " + channel + " :", reason)));
        }
    }

    public synchronized void changeNick(String newNick) {
        if (!isOnline()) {
            preferredNick = newNick; // used when the connection comes back
            changed();
            show(Line.info(now(), "you will be " + newNick + " when the connection is back"));
            return;
        }
        send("NICK " + newNick);
    }

    /** Marks the user away with {@code message}, or back when it is null or empty. */
    public synchronized void setAway(String message) {
        away = message == null || message.isEmpty() ? null : message;
        if (isOnline()) {
            send(away == null ? "AWAY" : "AWAY :" + fit("AWAY :", away));
        }
        changed();
    }

    /** Shows ({@code text} null) or sets the topic of {@code channel}. */
    public synchronized void topic(String channel, String text) {
        if (requireOnline()) {
            send(text == null ? "TOPIC " + channel : "TOPIC " + channel + " :" + fit("TOPIC " + channel + " :", text));
        }
    }

    /** Asks for the member list of {@code channel} and shows it. */
    public synchronized void names(String channel) {
        if (requireOnline()) {
            namesWanted.add(roster.isupport().fold(channel));
            send("NAMES " + channel);
        }
    }

    public synchronized void who(String mask) {
        if (requireOnline()) {
            send("WHO " + mask);
        }
    }

    public synchronized void whois(String whom) {
        if (requireOnline()) {
            send("WHOIS " + whom);
        }
    }

    /** Sends {@code line} as it is (/quote); refuses what does not fit one IRC line. */
    public synchronized void quote(String line) {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
            show(Line.error(now(), "a raw line cannot contain CR, LF or NUL"));
        } else if (Utf8.length(line) > LINE_MAX) {
            show(Line.error(now(), "too long for one IRC line (" + Utf8.length(line) + " > " + LINE_MAX + " bytes)"));
        } else if (requireOnline()) {
            send(line);
        }
    }

    /** Leaves the server with {@code reason}; the link does not reconnect after this. */
    public synchronized void quit(String reason) {
        if (quitting) {
            return;
        }
        quitting = true;
        if (wire != null) {
            send("QUIT :" + fit("QUIT :", reason == null ? "" : reason));
        }
        changed();
    }

    /** Sends a PING with {@code token}; {@link #ponged} tells when the answer came. */
    public synchronized void ping(String token) {
        send("PING :" + token);
    }

    /** Makes {@code to} (a joined channel or a nick) the target of plain text. */
    public synchronized boolean switchTo(String to) {
        Isupport rules = roster.isupport();
        if (rules.isChannel(to)) {
            String name = roster.name(to);
            if (name == null) {
                name = wanted.get(Names.fold(to));
            }
            if (name == null) {
                show(Line.error(now(), "you are not in " + to + " (/join " + to + ")"));
                return false;
            }
            target = name;
        } else {
            rememberQuery(to);
            target = to;
        }
        changed();
        return true;
    }

    /** Closes the private conversation with {@code nick} (the target moves to a channel). */
    public synchronized void closeQuery(String nick) {
        queries.removeIf(q -> roster.isupport().same(q, nick));
        if (roster.isupport().same(target, nick)) {
            target = firstChannel();
        }
        changed();
    }

    /** Shows a line that the client itself produced (help, a usage error). */
    public synchronized void show(Line line) {
        screen.show(line);
    }

    public synchronized void info(String text) {
        show(Line.info(now(), text));
    }

    public synchronized void error(String text) {
        show(Line.error(now(), text));
    }

    // ---- state ----

    /** The nick in use (or being registered, or wanted while offline). */
    public synchronized String nick() {
        return registration != null && wire != null ? registration.nick() : preferredNick;
    }

    public synchronized String target() {
        return target;
    }

    public synchronized boolean isOnline() {
        return wire != null && registration != null && registration.registered();
    }

    /** Joined channels on this connection. */
    public synchronized List<String> channels() {
        return roster.channels();
    }

    public synchronized boolean isJoined(String channel) {
        return roster.isJoined(channel);
    }

    public synchronized boolean isChannel(String name) {
        return roster.isupport().isChannel(name);
    }

    /** Whether two nicks or channel names are the same on this server. */
    public synchronized boolean same(String a, String b) {
        return roster.isupport().same(a, b);
    }

    public synchronized List<String> members(String channel) {
        return roster.members(channel);
    }

    /** The people the user talked to privately. */
    public synchronized List<String> queries() {
        return List.copyOf(queries);
    }

    public synchronized boolean hasCap(String cap) {
        return registration != null && registration.enabled().contains(cap);
    }

    /** Why registration failed for good, or null. */
    public synchronized String failure() {
        return fatal;
    }

    /** Whether the connection is gone and the link will not connect again. */
    public synchronized boolean ended() {
        return ended;
    }

    public synchronized boolean isQuitting() {
        return quitting;
    }

    /** Messages (PRIVMSG lines, after splitting) sent since the session began. */
    public synchronized int sent() {
        return sent;
    }

    /** Own messages the server echoed back (echo-message). */
    public synchronized int echoes() {
        return echoes;
    }

    /** Error replies (4xx, 5xx) received. */
    public synchronized int errors() {
        return errors;
    }

    public synchronized String lastError() {
        return lastError;
    }

    public synchronized boolean ponged(String token) {
        return pongs.contains(token);
    }

    /** What tab completion offers; readable without the session's lock. */
    public Completions completions() {
        return completions;
    }

    /**
     * Names for tab completion, published after every change.
     *
     * @param nicks    members of the target channel, most recently active first
     * @param channels joined channels
     * @param queries  people talked to privately
     * @param target   the current target
     */
    public record Completions(List<String> nicks, List<String> channels, List<String> queries, String target) {
    }

    /**
     * Waits until {@code condition} holds or {@code timeout} passes; true if it holds. Woken by
     * every line received and every change, never by a timer.
     */
    public synchronized boolean await(Predicate<Session> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    // ---- helpers shared with Incoming ----

    Instant now() {
        return clock.instant();
    }

    void send(String line) {
        if (wire != null) {
            wire.send(line);
        }
    }

    private boolean requireOnline() {
        if (isOnline()) {
            return true;
        }
        show(Line.error(now(), "not connected" + (wantsReconnect() ? " (reconnecting)" : "") + ": not sent"));
        return false;
    }

    /** {@code text} cut so that {@code head + text} fits one line. */
    String fit(String head, String text) {
        return Utf8.truncate(text, LINE_MAX - Utf8.length(":" + ownMask() + " " + head));
    }

    /** The client's {@code nick!user@host} as others see it, or the longest it could be. */
    String ownMask() {
        if (mask != null) {
            return mask;
        }
        return nick() + "!~" + Utf8.truncate(identity.user(), Names.USER_MAX) + "@" + "x".repeat(HOST_MAX);
    }

    void rememberQuery(String nick) {
        if (nick != null && !roster.isupport().isChannel(nick)
                && queries.stream().noneMatch(q -> roster.isupport().same(q, nick))) {
            queries.add(nick);
        }
    }

    String firstChannel() {
        List<String> joined = roster.channels();
        return joined.isEmpty() ? null : joined.get(0);
    }

    /** Publishes status and completion data and wakes {@link #await}ers. */
    void changed() {
        screen.status(new Screen.Status(nick(), target, isOnline(), away != null));
        List<String> nicks = new ArrayList<>(roster.members(target));
        java.util.Collections.reverse(nicks);
        String own = nick();
        nicks.removeIf(n -> roster.isupport().same(n, own));
        completions = new Completions(List.copyOf(nicks), roster.channels(), List.copyOf(queries), target);
        notifyAll();
    }
}
