package forkchat.worker;

import forkchat.chat.SessionObserver;
import forkchat.config.Config;
import forkchat.config.ConfigException;
import forkchat.ipc.Bell;
import forkchat.ipc.ControlMessage;
import forkchat.ipc.HandoffChannel;
import forkchat.ipc.ProcessGroup;
import forkchat.ipc.RingRoster;
import forkchat.ipc.SignalDoorbell;
import forkchat.ipc.SignalWaiter;
import forkchat.ipc.Signals;
import forkchat.ipc.SocketFds;
import forkchat.ipc.WakeUp;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forkchat worker: one JVM serving exactly one IRC client, the fork model's unit of
 * isolation. Its death harms no other client.
 *
 * <p><b>What it never does.</b> It never accepts a connection (the supervisor hands it one),
 * never listens for clients (its warm-up's loopback socket pair aside, which accepts only its
 * own connection), and never serves a second client: when its client leaves, it exits.
 *
 * <p><b>Lifecycle.</b> Spawned by the supervisor (always the exec case: nothing is inherited but
 * the arguments, the environment, the working directory, the process group and the ignored
 * SIGUSR1). It opens the message log, folds the presence records since the daemon's
 * server-start record into its {@link World} (so it is warm before a client arrives), connects
 * to {@code handoff.sock} and says {@code HELLO pid}; the supervisor checks that pid with
 * SO_PEERCRED. Before that, still idle, it rehearses a whole client's registration in memory
 * ({@link Rehearsal#warmUp}), so its first real client meets code already loaded, linked and
 * partly compiled. With a TLS listener configured it loads the certificate and key the supervisor
 * last accepted (its snapshot in the runtime directory) while still idle, so that a TLS client
 * does not wait for the JVM's TLS start-up. It then waits, idle, for
 * {@code CLIENT session host port tls|plain} carrying the client's socket (SCM_RIGHTS); the TLS
 * handshake, like every other byte of the client's, happens here, never in the supervisor. With
 * a client: it starts taking SIGUSR1, catches up with the log and serves the client ({@link ClientConnection}): a reader thread, a sender on the main thread,
 * and a watcher on the handoff connection. It reports {@code REGISTERED}/{@code NICK} as they
 * happen and {@code BYE} once its Quit is in the log, then exits 0.
 *
 * <p><b>Signals.</b> SIGUSR1 is the doorbell. It arrives ignored and blocked (the supervisor
 * starts workers through {@code env --block-signal=USR1}), so rings stay pending, merged, until
 * the worker has a client; then its sender thread takes them itself with sigtimedwait
 * ({@link SignalWaiter}), and a wake-up from inside the worker is a SIGUSR1 to itself. Where
 * USR1 could not be blocked, the JDK's handler rings a {@link Bell}. Either way an early ring is
 * harmless. SIGTERM: tell the client "Server shutting
 * down" and exit. SIGINT and SIGHUP are ignored: a Ctrl-C at the daemon's terminal reaches the
 * whole process group, and it is the supervisor's job to stop its workers in order.
 *
 * <p><b>Failures.</b> Handoff EOF means the supervisor is gone: the client gets an ERROR line and
 * the worker exits, so no worker outlives its supervisor by more than a moment; a spare still
 * starting up, not yet connected, learns it from its {@link OrphanWatch}. A worker that
 * dies without its BYE has its Quit written by the supervisor. Exit status: 0 normal, 64 bad
 * arguments, 70 internal error.
 */
public final class WorkerMain {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private final Config config;
    private final long foldFrom;
    private final String createdAt;
    private volatile ClientConnection connection;

    /** Not null: record a class-data-sharing archive by rehearsing a worker's life there ({@link Rehearsal}). */
    private final java.nio.file.Path rehearsal;

    /** The supervisor's pid, watched until this worker connects to it ({@link OrphanWatch}); 0: not watched. */
    private final long supervisorPid;

    private WorkerMain(Config config, long foldFrom, String createdAt, java.nio.file.Path rehearsal, long supervisorPid) {
        this.rehearsal = rehearsal;
        this.supervisorPid = supervisorPid;
        this.config = config;
        this.foldFrom = foldFrom;
        this.createdAt = createdAt;
    }

    /**
     * {@code --fold-from OFFSET --started EPOCH_MILLIS [--supervisor PID] [-c key=value]...}, or
     * {@code --rehearse DIR [-c key=value]...} for the JVM that records the workers' archive.
     */
    public static void main(String[] args) {
        int status;
        try {
            status = parse(args).run();
        } catch (ConfigException | IllegalArgumentException e) {
            log.error("bad arguments: {}", e.getMessage());
            status = 64;
        } catch (Throwable t) {
            log.error("worker failed", t);
            status = 70;
        }
        System.exit(status);
    }

    private static WorkerMain parse(String[] args) {
        long foldFrom = 0;
        long started = System.currentTimeMillis();
        List<String> overrides = new ArrayList<>();
        java.nio.file.Path rehearsal = null;
        long supervisor = 0;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--fold-from" -> foldFrom = Long.parseLong(require(value, "--fold-from"));
                case "--started" -> started = Long.parseLong(require(value, "--started"));
                case "-c" -> overrides.add(require(value, "-c"));
                case "--rehearse" -> rehearsal = java.nio.file.Path.of(require(value, "--rehearse"));
                case "--supervisor" -> supervisor = Long.parseLong(require(value, "--supervisor"));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        return new WorkerMain(Config.load(null, overrides), foldFrom, Instant.ofEpochMilli(started).toString(),
                rehearsal, supervisor);
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private int run() throws IOException {
        if (rehearsal != null) {
            try {
                Rehearsal.run(config, rehearsal);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 70;
            }
            return 0;
        }
        OrphanWatch orphanWatch = supervisorPid > 0 ? OrphanWatch.start(supervisorPid) : null;
        Signals.ignore("INT");
        Signals.ignore("HUP");
        Signals.on("TERM", this::terminate);
        int pid = ProcessGroup.pid();
        SessionSetup setup = new SessionSetup(config, foldFrom, createdAt);
        if (config.tlsListen() != null) {
            TlsCredentials credentials = TlsCredentials.loadSnapshot(config.tlsSnapshotDir());
            credentials.warmUp(); // a whole handshake in memory: paid while idle, not by the first client
            setup = setup.withTls(credentials);
        }
        // Bound while idle: binding libc is tens of milliseconds of a cold JVM, which a client
        // waiting for its welcome would otherwise pay.
        SignalWaiter signalWaiter = SignalWaiter.forUsr1();
        rehearse(signalWaiter);
        RingRoster roster = openRoster();
        SignalDoorbell doorbell = new SignalDoorbell(ProcessGroup.current(), roster, pid);
        SessionSetup.View opened = setup.open(doorbell);
        try {
            HandoffChannel handoff = HandoffChannel.connect(config.handoffSocket());
            handoff.send(HandoffProtocol.HELLO + " " + pid);
            if (orphanWatch != null) {
                orphanWatch.close();
            }
            ControlMessage order = handoff.receive();
            if (order == null || !HandoffProtocol.CLIENT.equals(HandoffProtocol.verb(order.line())) || !order.hasFd()) {
                if (order != null && order.hasFd()) {
                    SocketFds.close(order.fd());
                }
                log.debug("leaving without a client ({})", order == null ? "supervisor closed the handoff" : order.line());
                return 0;
            }
            HandoffProtocol.ClientOrder client;
            try {
                client = HandoffProtocol.ClientOrder.parse(order.line());
            } catch (IllegalArgumentException e) {
                SocketFds.close(order.fd());
                throw e;
            }
            SocketChannel socket = SocketFds.adopt(order.fd());
            SessionSetup.View view = setup.current(opened, doorbell); // folded while idle: up to date?
            opened = view;

            // Order matters: the log is open, so a ring can be acted on; rings are taken from
            // here on (with the waiter they have been pending since exec), then the session's
            // first catchUp reads everything rung before it.
            WakeUp bell = signalWaiter;
            if (bell == null) {
                Bell jdkRung = new Bell();
                Signals.onUsr1(jdkRung); // USR1 not blocked at exec: the JDK's handler, a thread per ring
                bell = jdkRung;
            }
            connection = connection(setup, view, socket, client.tls(), bell, handoff, client.session(), client.host());
            log.debug("serving {} from {}:{}{}", client.session(), client.host(), client.port(),
                    client.tls() ? " over TLS" : "");
            String reason = serve(connection, handoff);
            SocketFds.restoreOutput(); // closing the adopted socket pointed stdout and stderr at /dev/null
            try {
                handoff.send(HandoffProtocol.BYE + " " + reason);
            } catch (IOException e) {
                log.debug("supervisor gone before BYE: {}", e.getMessage());
            }
            return 0;
        } finally {
            doorbell.releaseSlot();
            opened.close();
            if (roster != null) {
                roster.close();
            }
        }
    }

    /**
     * The connection serving a handed-over client, its session reporting to the supervisor over
     * {@code handoff}. The real client and both rehearsals ({@link Rehearsal}) come through here
     * and {@link #serve}: a rehearsal runs, and so links, the very call sites the first client
     * meets, and the class-data archive holds what they load.
     */
    static ClientConnection connection(SessionSetup setup, SessionSetup.View view, SocketChannel socket, boolean tls,
                                       WakeUp bell, HandoffChannel handoff, String sessionId, String host)
            throws IOException {
        SessionObserver observer = reporter(handoff);
        return new ClientConnection(socket, tls ? setup.tlsContext() : null, bell, setup.sendTimeout(),
                sink -> setup.session(view, sink, observer, sessionId, host, tls));
    }

    /** Serves {@code connection} to its end, with the supervisor watched, and says why it ended. */
    static String serve(ClientConnection connection, HandoffChannel handoff) {
        watchSupervisor(handoff, connection);
        return connection.serve(Thread.ofPlatform().name("reader").factory());
    }

    /**
     * SIGTERM: a worker with a client tells it "Server shutting down" and leaves through its
     * session's end; one without a client exits at once, with the status of a JVM ended by TERM.
     */
    private void terminate() {
        ClientConnection serving = connection;
        if (serving != null) {
            serving.shutdown(HandoffProtocol.SHUTDOWN_REASON);
        } else {
            Runtime.getRuntime().exit(128 + 15);
        }
    }

    /** The supervisor's ring roster, or null (rings then go to the whole group, as they always may). */
    private RingRoster openRoster() {
        try {
            return RingRoster.open(config.ringRoster());
        } catch (IOException e) {
            log.debug("no ring roster, every ring goes to every worker: {}", e.getMessage());
            return null;
        }
    }

    /**
     * A whole registration rehearsed in this JVM while it is idle ({@link Rehearsal#warmUp}), in a
     * private temporary directory (0700), not on the state directory's file system: its scratch
     * log, some 100 KB with the chat rounds, would otherwise take and then give back space the
     * real log may need; a failure costs only the warm-up.
     */
    private void rehearse(SignalWaiter signalWaiter) {
        long began = System.nanoTime();
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("forkchat-warm-up-");
            Rehearsal.warmUp(config, dir, signalWaiter != null ? signalWaiter : new Bell());
            log.debug("warmed up in {} ms", (System.nanoTime() - began) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.warn("idle worker's warm-up failed (its first client will wait longer): {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reports registration and nick changes to the supervisor (for its logs and limits). */
    private static SessionObserver reporter(HandoffChannel handoff) {
        return new SessionObserver() {
            @Override
            public void registered(String nick) {
                tell(handoff, HandoffProtocol.REGISTERED + " " + nick);
            }

            @Override
            public void nickChanged(String nick) {
                tell(handoff, HandoffProtocol.NICK + " " + nick);
            }

            @Override
            public void authenticationFailed(String account) {
                tell(handoff, HandoffProtocol.AUTHFAIL);
            }

            @Override
            public void quitNotStored(String session, String reason) {
                tell(handoff, HandoffProtocol.QUITLOST + " " + reason);
            }
        };
    }

    private static void tell(HandoffChannel handoff, String line) {
        try {
            handoff.send(line);
        } catch (IOException e) {
            log.debug("cannot tell the supervisor '{}': {}", line, e.getMessage());
        }
    }

    /** Watches the handoff connection: STOP or EOF ends the session with an ERROR line to the client. */
    private static void watchSupervisor(HandoffChannel handoff, ClientConnection connection) {
        Thread.ofPlatform().daemon().name("handoff").start(() -> {
            String reason = HandoffProtocol.SHUTDOWN_REASON;
            try {
                ControlMessage m;
                while ((m = handoff.receive()) != null) {
                    if (m.hasFd()) {
                        SocketFds.close(m.fd());
                    }
                    if (HandoffProtocol.STOP.equals(HandoffProtocol.verb(m.line()))) {
                        String given = HandoffProtocol.rest(m.line());
                        reason = given.isEmpty() ? reason : given;
                        break;
                    }
                }
            } catch (IOException e) {
                log.debug("handoff connection failed: {}", e.getMessage());
            }
            connection.shutdown(reason);
        });
    }
}
