package forkchat.worker;

import forkchat.chat.ChatConfig;
import forkchat.chat.ClientSink;
import forkchat.chat.Session;
import forkchat.chat.SessionObserver;
import forkchat.chat.World;
import forkchat.config.Config;
import forkchat.config.Settings;
import forkchat.ipc.Doorbell;
import forkchat.ipc.MessageLog;
import java.io.IOException;
import java.time.Duration;

/**
 * How a client's session is put together, the same in every model: its own view of the message
 * log (own descriptors, own cursor), the presence folded since the daemon's server-start record,
 * and a {@link Session} over them. The fork worker does this in its own JVM; the threaded builds
 * once per connection inside the supervisor. Only the doorbell differs.
 */
public final class SessionSetup {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionSetup.class);

    private final Config config;
    private final long foldFrom;
    private final String createdAt;
    private final ChatConfig chat;
    private final AccountStore accounts;
    private final TlsCredentials tls;

    /**
     * @param foldFrom  offset of this run's server-start record: presence is folded from there
     * @param createdAt when the daemon started (RPL_CREATED)
     */
    public SessionSetup(Config config, long foldFrom, String createdAt) {
        this(config, foldFrom, createdAt, null);
    }

    private SessionSetup(Config config, long foldFrom, String createdAt, TlsCredentials tls) {
        this.tls = tls;
        this.config = config;
        this.foldFrom = foldFrom;
        this.createdAt = createdAt;
        this.chat = ChatSettings.from(config, createdAt);
        this.accounts = AccountStore.in(config.stateDir());
    }

    /** The same daemon run with reloaded settings, for the connections that come next. */
    public SessionSetup reconfigured(Config next) {
        return new SessionSetup(next, foldFrom, createdAt, tls);
    }

    /** The same, serving connections to the TLS listener with {@code credentials} (null: none). */
    public SessionSetup withTls(TlsCredentials credentials) {
        return new SessionSetup(config, foldFrom, createdAt, credentials);
    }

    /** The TLS context for connections to the TLS listener; fails when there is none. */
    public javax.net.ssl.SSLContext tlsContext() {
        if (tls == null) {
            throw new IllegalStateException("a TLS connection, but no TLS credentials are loaded");
        }
        return tls.context();
    }

    /** A client's log view and the world folded to its end. Closing it closes the descriptors. */
    public record View(LogJournal journal, World world) implements AutoCloseable {
        @Override
        public void close() {
            journal.close();
        }
    }

    /**
     * Opens a new view of the log ringing {@code doorbell} after each append, and folds it: from
     * this run's {@link PresenceSnapshot} when there is one (what lies before it may have been
     * removed by log retention), else from the run's server-start record.
     */
    public View open(Doorbell doorbell) throws IOException {
        MessageLog messages = MessageLog.open(config.logDir(), config.get(Settings.FSYNC), config.get(Settings.LOG_SEGMENT_SIZE));
        LogJournal journal = new LogJournal(messages, doorbell);
        try {
            World world = startingPoint(messages);
            journal.catchUp(world::apply);
            messages.prepareAppend(); // the first append is often a client waiting for its welcome
            return new View(journal, world);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * {@code view} caught up to the end of the log, or, if it fell so far behind that log
     * retention removed records it had not read yet (an idle fork worker waiting for a client
     * longer than retention keeps records), a new view folded afresh (and {@code view} closed).
     */
    public View current(View view, Doorbell doorbell) throws IOException {
        view.journal().catchUp(view.world()::apply);
        if (!view.journal().lostRecords()) {
            return view;
        }
        log.info("this view of the log fell behind log retention; folding who is online again");
        view.close();
        return open(doorbell);
    }

    /** Seeks to where the fold starts and returns the world as it is there. */
    private World startingPoint(MessageLog messages) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            PresenceSnapshot.Snapshot snap = PresenceSnapshot.read(config.logDir());
            if (snap == null || snap.serverStart() != foldFrom || snap.offset() <= foldFrom) {
                break; // none for this run (yet): fold from the start
            }
            messages.seek(snap.offset());
            if (messages.reachable()) {
                return snap.world(); // its segment is open now: retention cannot take it from us
            }
            // retention removed it after a newer snapshot replaced it: read that one
        }
        messages.seek(foldFrom);
        if (!messages.reachable()) {
            log.warn("the log no longer holds this run's start (offset {}) and no presence snapshot covers it;"
                    + " who is online is folded from the oldest record left", foldFrom);
        }
        return new World();
    }

    /**
     * The session of one client over {@code view}.
     *
     * @param host the client's address (an IP literal)
     * @param tls  whether it came through the TLS listener
     */
    public Session session(View view, ClientSink sink, SessionObserver observer, String sessionId, String host,
                           boolean tls) {
        return new Session(chat, view.world(), view.journal(), sink, observer, accounts, sessionId, host,
                System::currentTimeMillis, tls || isLoopback(host));
    }

    /** Whether {@code address} (an IP literal) is a loopback address; a name never is. */
    static boolean isLoopback(String address) {
        if (address == null || address.isEmpty() || !(address.indexOf(':') >= 0 || Character.isDigit(address.charAt(0)))) {
            return false; // only literals: a name would be looked up
        }
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** How long a write may stay blocked on a client that reads nothing. */
    public Duration sendTimeout() {
        return config.get(Settings.PING_TIMEOUT);
    }
}
