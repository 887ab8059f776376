package forkchat.daemon;

import forkchat.chat.Event;
import forkchat.chat.EventCodec;
import forkchat.config.Config;
import forkchat.config.ConfigException;
import forkchat.config.Model;
import forkchat.config.Setting;
import forkchat.config.Settings;
import forkchat.ipc.Durability;
import forkchat.ipc.HandoffServer;
import forkchat.ipc.LogRecovery;
import forkchat.ipc.LogRetention;
import forkchat.ipc.MessageLog;
import forkchat.ipc.ProcessGroup;
import forkchat.ipc.RingRoster;
import forkchat.ipc.SignalDoorbell;
import forkchat.ipc.Signals;
import forkchat.ipc.StateLock;
import forkchat.ipc.SystemdNotifier;
import forkchat.worker.HandoffProtocol;
import forkchat.worker.LogJournal;
import forkchat.worker.SessionSetup;
import forkchat.worker.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * forkchatd's supervisor: it accepts connections and gives each one a worker JVM of its own (the
 * fork model; with {@code model = thread | virtual | event} the same supervisor serves every
 * client in its own JVM instead, through a {@link ClientHost}: everything else below holds for
 * every model).
 *
 * <p><b>What it never does.</b> It never reads a byte a client sends and never speaks IRC: a
 * refused connection gets one fixed {@code ERROR} line, every other byte of protocol (and, later,
 * authentication) happens in the worker, as in PostgreSQL's postmaster and OpenSSH's sshd. So no
 * client, however slow or hostile, can stall the accept loop or crash the supervisor, and a
 * worker's crash leaves the supervisor and every other worker untouched.
 *
 * <p><b>Initialization.</b> Leads its own process group (so the doorbell, a SIGUSR1 to the
 * group, reaches its workers and never the shell pipeline it was started from) and sets SIGUSR1
 * to SIG_IGN before any spawn: children inherit the ignore, so a ring that arrives before a
 * worker has installed its handler is dropped instead of killing it. It takes the state
 * directory's lock (one daemon per state directory), binds the listener and
 * {@code handoff.sock} (0700 directory) — so a daemon that cannot start never touches the log —
 * then verifies the log ({@link LogRecovery}: a torn tail is truncated and reported), appends a
 * server-start record (presence begins again from it) and fills the {@link WorkerPool}.
 *
 * <p><b>A connection's journey.</b> accept → admission ({@code max_clients}) → an idle worker →
 * sendmsg(SCM_RIGHTS) over the handoff socket → the supervisor closes its copy. The worker
 * serves the client, appends to the log and rings the group; the supervisor only hears
 * REGISTERED/NICK/BYE lines, for its log.
 *
 * <p><b>TLS.</b> With {@code tls_listen}, a second listener takes TLS connections. The supervisor
 * loads and checks the certificate chain and key ({@link TlsCredentials}) at start (a bad file
 * stops the start) and on SIGHUP (a bad file refuses the reload and the old certificate stays),
 * but never speaks TLS: the handshake runs where the client is served, in its worker. Fork
 * workers read the credentials from a snapshot the supervisor writes, 0600 in the 0700 runtime
 * directory, once it has accepted them; the threaded models get the loaded context itself.
 *
 * <p><b>Signals.</b> SIGTERM: graceful stop — the listener closes, every worker tells its client
 * {@code ERROR :Server shutting down} and exits; after {@code shutdown_timeout} the rest are
 * killed; exit status 0. SIGINT: fast stop — the same with a one-second grace. SIGHUP: reload
 * the config file (see {@link #reload}). SIGUSR1: ignored. With NOTIFY_SOCKET set it reports
 * READY=1 once it listens and its pool is up, RELOADING=1/READY=1 around a reload, STOPPING=1,
 * and STATUS= lines with its clients and workers.
 *
 * <p><b>Failures.</b> A worker that exits without its BYE has a Quit appended for its session,
 * so other clients see it leave. If the supervisor itself dies, every worker sees EOF on its
 * handoff connection, tells its client and exits.
 */
public final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private static final long FAST_STOP_MILLIS = 1_000;

    private final Path configFile;
    private final List<String> overrides;
    private final SystemdNotifier notifier = SystemdNotifier.fromEnvironment();
    private final ReentrantLock reloadLock = new ReentrantLock();
    private volatile Config config;
    private PidFile pidFile;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ReentrantLock logLock = new ReentrantLock();
    private MessageLog messages;
    private SignalDoorbell doorbell;
    private ServerSocketChannel listener;
    private ServerSocketChannel tlsListener;
    /** The TLS credentials loaded at start, or null without a TLS listener (a reload hands its own to the host). */
    private TlsCredentials tls;
    private HandoffServer handoff;
    /** Fork model: who listens for which channel, so that a channel's record rings only its members' workers. */
    private RingRoster roster;
    private ClientHost clients;
    private Admission admission;
    private StateLock stateLock;
    private final LostQuits lostQuits = new LostQuits(this::appendEvent);
    /** Presence folded for retention (the retention pass's thread only; null until the first pass). */
    private PresenceCheckpoints checkpoints;

    /**
     * @param configFile the file SIGHUP re-reads (null: none)
     * @param overrides  the command line's -c options, applied again on every reload
     */
    public Supervisor(Config config, Path configFile, List<String> overrides) {
        this.config = config;
        this.configFile = configFile;
        this.overrides = List.copyOf(overrides);
    }

    /** Runs the daemon in the foreground until it is stopped; returns the exit status. */
    public int run() throws IOException {
        int pgid = ProcessGroup.leadOwnGroup();
        Signals.ignoreUsr1();
        Signals.ignore("PIPE");
        long startedMillis = System.currentTimeMillis();

        createPrivateDirectory(config.stateDir());
        // One daemon per state directory, checked before anything is touched: a second daemon
        // must not truncate or append to a live log (its server-start record would end every
        // session of the running one).
        stateLock = StateLock.acquire(config.stateDir().resolve("lock"));
        if (!config.get(Settings.PID_FILE).isEmpty()) {
            pidFile = PidFile.claim(Path.of(config.get(Settings.PID_FILE)));
        }

        // Bind before touching the log, so a daemon that cannot start leaves the log as it was.
        listener = listen(config.get(Settings.LISTEN));
        if (config.tlsListen() != null) {
            tls = loadTls(config);
            tlsListener = listen(config.tlsListen());
        }
        if (config.get(Settings.MODEL) == Model.FORK) {
            handoff = HandoffServer.bind(config.handoffSocket());
            if (tls != null) {
                tls.writeSnapshot(config.tlsSnapshotDir()); // before any worker starts
            }
        }

        LogRecovery.recover(config.logDir()); // reports what it finds in the log itself
        messages = MessageLog.open(config.logDir(), config.get(Settings.FSYNC), config.get(Settings.LOG_SEGMENT_SIZE));
        messages.roll(); // this run's records begin a segment of their own: retention can drop older runs whole
        long serverStart = messages.append(EventCodec.encode(new Event.ServerStart(config.get(Settings.SERVER_NAME))));
        doorbell = new SignalDoorbell(pgid);

        admission = new Admission(config);
        clients = host(serverStart, startedMillis);
        Signals.on("TERM", () -> stop(false));
        Signals.on("INT", () -> stop(true));
        Signals.on("HUP", this::reload);
        clients.start();
        if (clients instanceof WorkerPool pool) {
            Thread.ofPlatform().name("handoff").daemon().start(() -> acceptWorkers(pool));
        }
        if (config.get(Settings.FSYNC) == Durability.INTERVAL) {
            Thread.ofPlatform().name("fsync").daemon().start(this::syncEverySecond);
        }
        applyRetention(serverStart); // before the first client: an old log shrinks at start
        Thread.ofPlatform().name("log-retention").daemon().start(() -> retainPeriodically(serverStart));
        if (clients instanceof WorkerPool) {
            AcceptRehearsal.run(config);
        }
        clients.awaitReady();
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        if (pidFile != null) {
            pidFile.write(); // before anyone is told "ready": whoever reads it then finds it
        }
        if (tlsListener != null) {
            log.info("TLS listening on {} with {}", shown((InetSocketAddress) tlsListener.getLocalAddress(),
                    config.tlsListen()), tls.describe());
        }
        log.info("forkchatd ready: listening on {} ({}; pid {}, log {})", shown(bound, config.get(Settings.LISTEN)),
                clients.describe(), ProcessGroup.pid(), config.logDir());
        notifier.send("READY=1\nSTATUS=" + clients.status());
        if (notifier.enabled()) {
            Thread.ofPlatform().name("status").daemon().start(this::reportStatus);
        }
        Thread.ofPlatform().name("accept").daemon().start(() -> acceptClients(listener, false));
        if (tlsListener != null) {
            Thread.ofPlatform().name("accept-tls").daemon().start(() -> acceptClients(tlsListener, true));
        }

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** host:port of a bound listener as configured (0.0.0.0, not the JDK's 0:0:0:0:0:0:0:0), [v6]:port. */
    private static String shown(InetSocketAddress bound, forkchat.config.HostPort configured) {
        String host = bound.getAddress().isAnyLocalAddress() ? configured.host() : bound.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    private static ServerSocketChannel listen(forkchat.config.HostPort address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            channel.bind(address.toAddress(), 128);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return channel;
    }

    /** Loads and checks the configured certificate chain and key; warns when it is about to expire. */
    private static TlsCredentials loadTls(Config config) throws IOException {
        TlsCredentials loaded;
        try {
            loaded = TlsCredentials.load(Path.of(config.get(Settings.TLS_CERTIFICATE)), Path.of(config.get(Settings.TLS_KEY)));
        } catch (IOException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
        String warning = loaded.expiryWarning(Instant.now(), java.time.Duration.ofDays(14));
        if (warning != null) {
            log.warn("TLS: {}", warning);
        }
        return loaded;
    }

    /** The part that differs between the models: who serves an accepted connection. */
    private ClientHost host(long serverStart, long startedMillis) throws IOException {
        Model model = config.get(Settings.MODEL);
        if (model == Model.FORK) {
            WorkerLauncher launcher = new WorkerLauncher(config, serverStart, startedMillis);
            launcher.prepareSharedArchive();
            // a slot per client, and room for workers that ended but are not reaped yet; past
            // that (max_clients raised by a reload), rings fall back to the whole group
            roster = RingRoster.create(config.ringRoster(), config.get(Settings.MAX_CLIENTS) + 64);
            return new WorkerPool(config, launcher, this::appendLostQuit, new SessionIds(serverStart), tls, roster);
        }
        SessionSetup setup = new SessionSetup(config, serverStart, Instant.ofEpochMilli(startedMillis).toString())
                .withTls(tls);
        SessionIds ids = new SessionIds(serverStart);
        return model == Model.EVENT ? new EventClients(setup, this::appendLostQuit, ids)
                : new InProcessClients(setup, model == Model.VIRTUAL, this::appendLostQuit, ids);
    }

    private void acceptClients(ServerSocketChannel from, boolean viaTls) {
        while (true) {
            SocketChannel socket;
            try {
                socket = from.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // EMFILE and friends: say so and breathe instead of spinning
                log.error("accept failed: {}", e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            String who = Refusal.peer(socket);
            Admission.Decision decision = admission.admit(who, viaTls);
            if (decision.ticket() == null) {
                Refusal.refuse(socket, who, decision.refusal(), viaTls);
            } else {
                clients.dispatch(socket, decision.ticket());
            }
        }
    }

    private void acceptWorkers(WorkerPool pool) {
        while (true) {
            try {
                pool.attach(handoff.accept());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopping.get()) {
                    return;
                }
                log.error("handoff accept failed: {}", e.getMessage());
            }
        }
    }

    /**
     * A retention pass every minute (more often when log_retention_age is short), with the
     * settings of the moment (a reload changes them).
     */
    private void retainPeriodically(long serverStart) {
        while (!stopping.get()) {
            java.time.Duration age = config.get(Settings.LOG_RETENTION_AGE);
            long pause = age.isZero() ? 60_000 : Math.clamp(age.toMillis() / 10, 1_000, 60_000);
            try {
                Thread.sleep(pause); // the retention period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
            applyRetention(serverStart);
        }
    }

    /**
     * One retention pass (see {@link LogRetention}) after a presence checkpoint: never removes
     * what new sessions fold presence from.
     */
    private void applyRetention(long serverStart) {
        Config c = config;
        LogRetention.Policy policy = new LogRetention.Policy(c.get(Settings.LOG_RETENTION_SIZE),
                c.get(Settings.LOG_RETENTION_AGE), LogJournal.HISTORY_SCAN_BYTES);
        if (policy.maxBytes() == 0 && policy.maxAge().isZero()) {
            return; // keep everything: no checkpoints needed either
        }
        try {
            if (checkpoints == null) {
                checkpoints = new PresenceCheckpoints(serverStart);
            }
            long keepFrom = checkpoints.checkpoint(c);
            LogRetention.Outcome outcome = LogRetention.apply(c.logDir(), policy, keepFrom,
                    System.currentTimeMillis(), c.get(Settings.FSYNC));
            if (!outcome.removed().isEmpty()) {
                log.info("log retention: {} segments ({} bytes) removed; the log now holds {} bytes from offset {}",
                        outcome.removed().size(), outcome.removedBytes(), outcome.size(), outcome.start());
            }
        } catch (IOException | RuntimeException e) {
            log.error("log retention failed (the log is left as it is): {}", e.getMessage());
        }
    }

    private void syncEverySecond() {
        while (!stopping.get()) {
            try {
                Thread.sleep(1000); // the interval policy's period, not a synchronisation
                messages.sync();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.error("fsync of the message log failed: {}", e.getMessage());
            }
        }
    }

    /** Tells the service manager how many clients are served, whenever that changes (checked every 2 s). */
    private void reportStatus() {
        String last = "";
        while (!stopping.get()) {
            String now = clients.status();
            if (!now.equals(last)) {
                notifier.send("STATUS=" + now);
                last = now;
            }
            try {
                Thread.sleep(2000); // a report period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * SIGHUP: re-reads the config file (and re-applies the command line's -c options). A file
     * that does not parse is refused and the running configuration kept. Limits, pool sizes and
     * chat settings apply to the connections that come next; nobody is disconnected. Settings
     * fixed at start (listen, tls_listen, state_dir, runtime_dir, model) are kept and a restart is
     * asked for. The TLS certificate and key are read again (a renewed certificate): if they do
     * not load, the whole reload is refused. The log file is reopened (log rotation).
     */
    private void reload() {
        reloadLock.lock();
        try {
            if (stopping.get()) {
                return;
            }
            notifier.send(SystemdNotifier.reloading());
            Config current = config;
            Config next;
            try {
                next = Config.load(configFile, overrides);
            } catch (ConfigException e) {
                log.error("SIGHUP: reload refused, the running configuration stays: {}", e.getMessage());
                notifier.send("READY=1\nSTATUS=reload refused: " + e.getMessage());
                return;
            }
            List<String> keep = new ArrayList<>();
            for (Setting<?> s : List.of(Settings.LISTEN, Settings.TLS_LISTEN, Settings.STATE_DIR, Settings.RUNTIME_DIR,
                    Settings.MODEL, Settings.PID_FILE)) {
                if (!next.text(s).equals(current.text(s))) {
                    log.warn("SIGHUP: {} changed to '{}'; that takes a restart, '{}' stays until then", s.key(),
                            next.text(s), current.text(s));
                    keep.add(s.key() + "=" + current.text(s));
                }
            }
            next = next.with(keep);
            TlsCredentials nextTls = null;
            if (tlsListener != null) {
                try {
                    nextTls = loadTls(next);
                    if (handoff != null) {
                        nextTls.writeSnapshot(next.tlsSnapshotDir());
                    }
                } catch (IOException e) {
                    log.error("SIGHUP: reload refused, the running configuration and certificate stay: {}",
                            e.getMessage());
                    notifier.send("READY=1\nSTATUS=reload refused: " + e.getMessage());
                    return;
                }
            }
            config = next;
            Logging.apply(next);
            admission.reconfigure(next);
            clients.reconfigure(next, nextTls);
            if (nextTls != null) {
                log.info("SIGHUP: TLS {}", nextTls.describe());
            }
            // logged once applied: whoever acts on these lines finds them in force
            for (Setting<?> s : Settings.all()) {
                if (!next.text(s).equals(current.text(s))) {
                    log.info("SIGHUP: {} = {} (was {})", s.key(), next.text(s), current.text(s));
                }
            }
            log.info("SIGHUP: configuration reloaded{}", configFile == null ? " (no config file: -c options only)" : " from " + configFile);
            notifier.send("READY=1\nSTATUS=" + clients.status());
        } finally {
            reloadLock.unlock();
        }
    }

    /**
     * A session ended without its Quit in the log (its worker died, or the log refused the write):
     * write it, so every other client sees the user leave; {@link LostQuits} retries until it is.
     */
    private void appendLostQuit(String session, String reason) {
        lostQuits.add(new Event.Quit(session, reason));
    }

    /** Appends and rings; false (logged) when the log refused the record. */
    private boolean appendEvent(Event event) {
        logLock.lock();
        try {
            messages.append(EventCodec.encode(event));
        } catch (IOException e) {
            log.error("cannot append {} to the message log: {}", event, e.getMessage());
            return false;
        } finally {
            logLock.unlock();
        }
        doorbell.ring();
        if (clients != null) {
            clients.logAppended();
        }
        return true;
    }

    /** Stops the daemon; safe to call from any thread, any number of times. */
    public void stop(boolean fast) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        notifier.send("STOPPING=1\nSTATUS=stopping");
        Thread.ofPlatform().name("stop").start(() -> {
            long timeout = fast ? FAST_STOP_MILLIS : config.get(Settings.SHUTDOWN_TIMEOUT).toMillis();
            log.info("{} stop: telling {} clients", fast ? "fast" : "graceful", clients.clients());
            closeQuietly(listener);
            closeQuietly(tlsListener);
            clients.stopAll(HandoffProtocol.SHUTDOWN_REASON, timeout);
            closeQuietly(handoff);
            closeQuietly(roster);
            lostQuits.close();
            logLock.lock();
            try {
                messages.sync();
                messages.close();
            } catch (IOException e) {
                log.warn("closing the message log: {}", e.getMessage());
            } finally {
                logLock.unlock();
            }
            stateLock.close();
            if (pidFile != null) {
                pidFile.remove();
            }
            log.info("forkchatd stopped");
            stopped.countDown();
        });
    }

    private static void createPrivateDirectory(java.nio.file.Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing {}: {}", c, e.getMessage());
        }
    }
}
