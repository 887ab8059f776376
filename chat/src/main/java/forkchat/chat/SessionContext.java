package forkchat.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The state one session's parts share (registration, delivery, the command groups) and the few
 * operations they all need: sending lines, tagging lines that come from log entries, appending to
 * the journal with the write-failure reply, and ending the session. Package-private: the host sees
 * only {@link Session}.
 */
final class SessionContext {

    static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final ChatConfig config;
    final World world;
    final Journal journal;
    final ClientSink out;
    final SessionObserver observer;
    final Accounts accounts;
    final String id;
    final String host;
    final LongSupplier clock;
    final Replies replies;
    final Capabilities caps;
    /** Whether this connection may carry a password (see {@link Session}'s {@code secure}). */
    final boolean loginAllowed;

    /** The accepted nick (before registration: the one asked for; after: the registered one). */
    String nick;
    String user;
    String realname = "";
    boolean registered;
    /** Our Connect is in the log but not delivered back yet. */
    boolean connectPending;
    boolean closed;
    /** User mode +i: kept locally, only reported back (no behaviour depends on it). */
    boolean invisible;
    /** The account this client proved it owns (SASL or PASS), or null. */
    String account;
    /** Where password derivations run ({@link PasswordChecker}). */
    PasswordChecker checker = PasswordChecker.INLINE;
    /** A password check is out: the client's lines are held until it is back. */
    boolean checking;

    private Consumer<Entry> deliverer = e -> {
    };
    private Runnable resumer = () -> {
    };
    private boolean insideAppendIf;
    private final List<Runnable> afterAppendIf = new ArrayList<>();
    private final List<Runnable> onEnd = new ArrayList<>();

    SessionContext(ChatConfig config, World world, Journal journal, ClientSink out, SessionObserver observer,
                   Accounts accounts, String id, String host, LongSupplier clock, boolean secure) {
        this.config = config;
        this.world = world;
        this.journal = journal;
        this.out = out;
        this.observer = observer == null ? SessionObserver.NONE : observer;
        this.accounts = accounts == null ? Accounts.NONE : accounts;
        this.id = id;
        this.host = host;
        this.clock = clock;
        this.replies = new Replies(config.serverName());
        this.loginAllowed = secure || !config.loginRequiresTls();
        this.caps = new Capabilities(accountsMode() && loginAllowed);
    }

    /** Whether nicks are accounts ({@link AuthMode#ACCOUNTS}). */
    boolean accountsMode() {
        return config.auth() == AuthMode.ACCOUNTS;
    }

    /** Tells the observer, whose failure must not change the session's course. */
    void tell(Consumer<SessionObserver> what) {
        try {
            what.accept(observer);
        } catch (RuntimeException e) {
            LOG.error("session {}: observer failed", id, e);
        }
    }

    /** Runs {@code cleanup} when the session ends (wiping a password kept for registration). */
    void onEnd(Runnable cleanup) {
        onEnd.add(cleanup);
    }

    void deliverWith(Consumer<Entry> deliverer) {
        this.deliverer = deliverer;
    }

    void resumeWith(Runnable resumer) {
        this.resumer = resumer;
    }

    /** A password check is back: the lines held meanwhile are handled now. */
    void resumeHeldLines() {
        resumer.run();
    }

    /** The nick for numerics: the accepted nick or '*'. */
    String target() {
        return nick == null ? "*" : nick;
    }

    /** Our {@code nick!user@host} (the world's view once registered). */
    String mask() {
        World.User me = world.user(id);
        return me != null ? me.mask() : target() + "!" + (user == null ? "*" : user) + "@" + host;
    }

    void send(String line) {
        if (closed) {
            return;
        }
        out.send(Replies.clip(clean(line)));
    }

    void numeric(String code, String... params) {
        send(replies.numeric(target(), code, params));
    }

    void numericPlain(String code, String... params) {
        send(replies.numericPlain(target(), code, params));
    }

    /** Sends a line produced from a log entry, with the tags the client negotiated. */
    void sendFromEntry(Entry entry, String line) {
        send(tags(entry.timeMillis(), entry.offset()) + line);
    }

    /** {@code @time=...;msgid=... } for the negotiated capabilities, or "". */
    String tags(long timeMillis, long offset) {
        boolean time = caps.has(Capabilities.SERVER_TIME);
        boolean msgid = caps.has(Capabilities.MESSAGE_TAGS);
        if (!time && !msgid) {
            return "";
        }
        StringBuilder sb = new StringBuilder(48).append('@');
        if (time) {
            sb.append("time=").append(Timestamps.serverTime(timeMillis));
        }
        if (msgid) {
            if (time) {
                sb.append(';');
            }
            sb.append("msgid=").append(offset);
        }
        return sb.append(' ').toString();
    }

    /** Appends an event for {@code command}, then catches up so it comes straight back. */
    boolean append(String command, Event event) {
        try {
            journal.append(event);
        } catch (JournalException e) {
            writeFailed(command, e);
            return false;
        }
        catchUp();
        return true;
    }

    /**
     * Atomic check-and-append, then catch-up. Returns whether the event was appended, or null when
     * the log could not be written (the client has been told).
     */
    Boolean appendIf(String command, Supplier<Event> decide) {
        boolean appended;
        insideAppendIf = true;
        try {
            appended = journal.appendIf(deliverer, decide);
        } catch (JournalException e) {
            writeFailed(command, e);
            return null;
        } finally {
            insideAppendIf = false;
            runDeferred();
        }
        if (appended) {
            catchUp();
        }
        return appended;
    }

    /**
     * Runs {@code work} now, or after the current appendIf when an entry is being delivered under
     * the log's exclusive lock: reading history there would take a second lock on the same file.
     */
    void outsideAppendIf(Runnable work) {
        if (insideAppendIf) {
            afterAppendIf.add(work);
        } else {
            work.run();
        }
    }

    private void runDeferred() {
        while (!afterAppendIf.isEmpty()) {
            Runnable work = afterAppendIf.removeFirst();
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("session {}: deferred delivery work failed", id, e);
            }
        }
    }

    /** Delivers every new entry; a read failure is logged and retried on the next call. */
    void catchUp() {
        if (closed) {
            return;
        }
        try {
            journal.catchUp(deliverer);
        } catch (JournalException e) {
            LOG.warn("session {}: cannot read the message log: {}", id, e.getMessage());
        }
    }

    void writeFailed(String command, JournalException e) {
        LOG.warn("session {}: {} not stored: {}", id, command, e.getMessage());
        send(replies.fromServer("FAIL", command, "WRITE_FAILED",
                "The server could not store this (" + command + "); please try again later"));
    }

    /**
     * Ends the session once: optional ERROR line, the Quit record when the session holds (or is
     * claiming) a nick and {@code quitReason} is given, observer, close.
     */
    void end(String errorLine, String quitReason, String endReason) {
        if (closed) {
            return;
        }
        if (errorLine != null) {
            try {
                send(errorLine);
            } catch (RuntimeException e) {
                LOG.warn("session {}: cannot send its closing line: {}", id, e.toString());
            }
        }
        if (quitReason != null && (registered || connectPending)) {
            try {
                journal.append(new Event.Quit(id, quitReason));
            } catch (JournalException e) {
                LOG.warn("session {}: cannot write its quit record: {}", id, e.getMessage());
                tell(o -> o.quitNotStored(id, quitReason));
            } catch (RuntimeException e) {
                LOG.error("session {}: writing its quit record failed", id, e);
                tell(o -> o.quitNotStored(id, quitReason));
            }
        }
        closed = true;
        for (Runnable cleanup : onEnd) {
            cleanup.run();
        }
        tell(o -> o.ended(endReason));
        try {
            out.close();
        } catch (RuntimeException e) {
            LOG.warn("session {}: cannot close its connection: {}", id, e.toString());
        }
    }

    /** {@code ERROR :Closing Link: host (reason)}. */
    String closingLink(String reason) {
        return "ERROR :Closing Link: " + host + " (" + reason + ")";
    }

    /** Replaces the bytes that would end or corrupt a line on the wire. */
    static String clean(String line) {
        if (line.indexOf('\r') < 0 && line.indexOf('\n') < 0 && line.indexOf('\0') < 0) {
            return line;
        }
        return line.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    }
}
