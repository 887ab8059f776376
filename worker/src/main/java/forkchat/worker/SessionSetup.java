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

    /** Opens a new view of the log ringing {@code doorbell} after each append, and folds it. */
    public View open(Doorbell doorbell) throws IOException {
        MessageLog messages = MessageLog.open(config.logFile(), config.get(Settings.FSYNC));
        messages.seek(foldFrom);
        LogJournal journal = new LogJournal(messages, doorbell);
        World world = new World();
        try {
            journal.catchUp(world::apply);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return new View(journal, world);
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
