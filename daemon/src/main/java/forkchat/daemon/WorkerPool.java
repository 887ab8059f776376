package forkchat.daemon;

import forkchat.config.Config;
import forkchat.config.Settings;
import forkchat.daemon.WorkerProcess.State;
import forkchat.ipc.ControlMessage;
import forkchat.ipc.HandoffChannel;
import forkchat.ipc.PeerCredentials;
import forkchat.ipc.ProcessGroup;
import forkchat.ipc.RingRoster;
import forkchat.ipc.SocketFds;
import forkchat.worker.HandoffProtocol;
import forkchat.worker.TlsCredentials;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-started pool of worker JVMs, like Apache prefork's scoreboard and Postfix master's
 * process limits: it keeps between {@code pool_min_spare} and {@code pool_max_spare} idle workers
 * ready, hands each accepted connection to an idle one, and reaps them.
 *
 * <p><b>Spawning.</b> A maintenance thread compares the idle and starting workers (plus the
 * connections waiting for one) with what is wanted; when short, it spawns in rounds whose size
 * doubles (1, 2, 4 … 32 a round) while the shortage lasts and falls back to 1 once the pool is
 * satisfied. Workers that die before serving anyone ("die young": a broken JVM option, a full
 * disk) push the next spawn back exponentially, up to 30 s, so a broken setup does not fork-bomb
 * the machine. Never more than {@code max_clients + pool_max_spare} worker JVMs exist. While a
 * spare is still idle, a replacement starts only once no connection has been handed over for a
 * quarter of a second, so a client's registration does not share the CPU with a JVM's start.
 *
 * <p><b>Handing over.</b> An accepted socket is passed to an idle worker with SCM_RIGHTS and the
 * supervisor's copy is closed at once; the socket is never read here. With no idle worker the
 * connection waits up to {@code worker_wait}, then gets a fixed ERROR line.
 *
 * <p><b>Reaping.</b> Every exit is logged with how it ended. A worker that had a client and
 * exited without its BYE (killed, crashed) has a Quit appended for its session by
 * {@code lostSession}, so every other client sees it leave.
 *
 * <p>All state is guarded by one ReentrantLock; no I/O to clients happens under it.
 */
final class WorkerPool implements ClientHost {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private static final long ROUND_MILLIS = 200;
    private static final int MAX_SPAWN_ROUND = 32;
    private static final long YOUNG_SECONDS = 10;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /**
     * How long after a hand-off a replacement waits while a spare is still idle: starting a JVM
     * takes both cores of a small machine for a second, and the client just handed over is
     * registering and joining in its first few tens of milliseconds.
     */
    private static final long SETTLE_AFTER_HANDOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private volatile Config config;
    private final WorkerLauncher launcher;
    private final BiConsumer<String, String> lostSession;
    private final RingRoster roster;
    private final int uid = ProcessGroup.uid();
    private final SessionIds sessions;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, WorkerProcess> workers = new HashMap<>();
    private final ArrayDeque<WorkerProcess> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int spawnRound = 1;
    private int youngDeaths;
    /** Counts reloads: a worker spawned before the last one has old settings (and TLS certificate). */
    private int generation;
    /** The TLS credentials the workers were last given (null: none, or not yet told). */
    private TlsCredentials lastTls;

    /** Settings only the supervisor reads: a change to them needs no new workers. */
    private static final List<forkchat.config.Setting<?>> SUPERVISOR_ONLY = List.of(Settings.MAX_CLIENTS,
            Settings.MAX_CLIENTS_PER_ADDRESS, Settings.MAX_REGISTERING, Settings.ACCEPT_RATE, Settings.AUTH_FAILURES_MAX,
            Settings.AUTH_BAN, Settings.POOL_MIN_SPARE, Settings.POOL_MAX_SPARE, Settings.WORKER_WAIT,
            Settings.SHUTDOWN_TIMEOUT, Settings.PID_FILE, Settings.LOG_FILE, Settings.WORKER_CDS);

    /** Whether a worker started with {@code next} would run exactly as one started with {@code previous}. */
    static boolean workersSeeNoChange(Config previous, Config next) {
        for (forkchat.config.Setting<?> s : Settings.all()) {
            if (!SUPERVISOR_ONLY.contains(s) && !previous.text(s).equals(next.text(s))) {
                return false;
            }
        }
        return true;
    }
    private long nextSpawnAtNanos;
    private long lastClaimNanos = System.nanoTime() - SETTLE_AFTER_HANDOFF_NANOS;
    private boolean stopping;
    private Thread maintenance;

    /** A connection waiting for an idle worker. */
    private record Waiting(SocketChannel socket, String address, int port, Admission.Ticket ticket, long deadlineNanos) {
    }

    /**
     * @param lostSession called with (session, reason) for a session whose worker died without its Quit
     * @param tls         the TLS credentials the workers start with (null: no TLS listener)
     * @param roster      the workers' ring roster, whose slot a dead worker may have left held (null: none)
     */
    WorkerPool(Config config, WorkerLauncher launcher, BiConsumer<String, String> lostSession, SessionIds sessions,
               TlsCredentials tls, RingRoster roster) {
        this.roster = roster;
        this.sessions = sessions;
        this.lastTls = tls;
        this.config = config;
        this.launcher = launcher;
        this.lostSession = lostSession;
    }

    @Override
    public void start() {
        maintenance = Thread.ofPlatform().name("pool").daemon().start(this::maintain);
    }

    /**
     * Waits (bounded) until the pool holds its minimum of idle workers: "ready" means ready. Gives
     * up early when workers keep dying at start: the daemon then serves what it can while the
     * pool backs off, and the workers' own output in the log says why they die.
     */
    @Override
    public void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int wanted = config.get(Settings.POOL_MIN_SPARE);
        lock.lock();
        try {
            while (idle.size() < wanted && youngDeaths < 3 && !stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            if (idle.size() < wanted) {
                log.error("only {} of {} spare workers are up ({} died at start in a row; see their output above);"
                        + " serving anyway while the pool retries with back-off", idle.size(), wanted, youngDeaths);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "model fork, " + idleCount() + " idle worker JVMs";
    }

    @Override
    public String status() {
        lock.lock();
        try {
            return clientsLocked() + " clients, " + workers.size() + " worker JVMs (" + idle.size() + " idle)";
        } finally {
            lock.unlock();
        }
    }

    /**
     * New settings for new connections: workers spawned from now on get them, and the idle
     * workers (started with the old ones) are replaced. Busy workers keep their clients.
     */
    @Override
    public void reconfigure(Config next, TlsCredentials tls) {
        // the workers read the TLS credentials from the snapshot the supervisor has just written
        launcher.reconfigure(next);
        lock.lock();
        try {
            Config previous = config;
            config = next;
            boolean sameTls = tls == null ? lastTls == null : tls.sameAs(lastTls);
            lastTls = tls;
            if (sameTls && workersSeeNoChange(previous, next)) {
                // only the supervisor's own settings changed (limits, pool sizes): the idle
                // workers are as good as new ones, and the pool just grows or shrinks
                changed.signalAll();
                log.info("reload: the workers' settings and certificate are unchanged; {} idle workers kept", idle.size());
                return;
            }
            generation++;
            int replaced = idle.size();
            while (!idle.isEmpty()) {
                stopWorker(idle.poll(), "settings reloaded");
            }
            changed.signalAll();
            log.info("reload: {} idle workers replaced by workers with the new settings", replaced);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- accepted connections

    /** An accepted connection: handed to an idle worker, queued for one, or refused. */
    @Override
    public void dispatch(SocketChannel socket, Admission.Ticket ticket) {
        String address = ticket.address;
        int port = Integer.parseInt(ticket.peer.substring(ticket.peer.lastIndexOf(':') + 1));
        WorkerProcess worker;
        lock.lock();
        try {
            if (stopping) {
                Refusal.refuse(socket, address + ":" + port, HandoffProtocol.SHUTDOWN_REASON, ticket.tls);
                ticket.ended();
                return;
            }
            worker = idle.poll();
            if (worker == null) {
                waiting.add(new Waiting(socket, address, port, ticket,
                        System.nanoTime() + config.get(Settings.WORKER_WAIT).toNanos()));
                log.debug("no idle worker for {}:{}; it waits ({} waiting)", address, port, waiting.size());
                changed.signalAll();
                return;
            }
            claim(worker, address, port, ticket);
        } finally {
            lock.unlock();
        }
        handOver(worker, socket);
    }

    /** Connections served or waiting to be: what max_clients counts. */
    @Override
    public int clients() {
        lock.lock();
        try {
            return clientsLocked();
        } finally {
            lock.unlock();
        }
    }

    private int clientsLocked() {
        int busy = 0;
        for (WorkerProcess w : workers.values()) {
            if (w.client != null) {
                busy++;
            }
        }
        return busy + waiting.size();
    }

    int workerCount() {
        lock.lock();
        try {
            return workers.size();
        } finally {
            lock.unlock();
        }
    }

    int idleCount() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    private void claim(WorkerProcess worker, String address, int port, Admission.Ticket ticket) {
        worker.ticket = ticket;
        worker.state = State.BUSY;
        worker.session = sessions.next();
        worker.client = address + ":" + port;
        worker.clientAtNanos = System.nanoTime();
        lastClaimNanos = worker.clientAtNanos;
    }

    /** The CLIENT order a worker gets with its socket: session, address, port, plain or TLS. */
    static String clientOrder(String session, String client, boolean tls) {
        String[] hostPort = client.split(":(?=[0-9]+$)");
        return new HandoffProtocol.ClientOrder(session, hostPort[0], hostPort[1], tls).line();
    }

    /** Passes the socket to the claimed worker and closes the supervisor's copy, on every path. */
    private void handOver(WorkerProcess worker, SocketChannel socket) {
        try {
            worker.handoff.sendWithFd(clientOrder(worker.session, worker.client, worker.ticket.tls), SocketFds.fdOf(socket));
            log.info("connection {}{} → worker {} (session {})", worker.client, worker.ticket.tls ? " (TLS)" : "",
                    worker.pid, worker.session);
            Refusal.close(socket);
        } catch (IOException e) {
            // The worker died between HELLO and now: its exit is reaped as usual; the client
            // gets the next idle worker, or waits for one.
            log.warn("worker {} could not take {}: {}", worker.pid, worker.client, e.getMessage());
            Admission.Ticket ticket;
            lock.lock();
            try {
                ticket = worker.ticket;
                worker.ticket = null;
                worker.client = null;
                worker.session = null;
                worker.state = State.STOPPING;
            } finally {
                lock.unlock();
            }
            dispatch(socket, ticket);
        }
    }

    // ---------------------------------------------------------------- the handoff socket

    /**
     * A connection on the handoff socket. Admitted only from a process this pool spawned and is
     * still waiting for, running as our uid (SO_PEERCRED); anything else is logged and closed.
     * Then its control lines are read on a thread of its own until EOF.
     */
    void attach(HandoffChannel channel) {
        PeerCredentials peer;
        try {
            peer = channel.peer();
        } catch (IOException e) {
            log.warn("handoff peer without credentials rejected: {}", e.getMessage());
            closeQuietly(channel);
            return;
        }
        WorkerProcess worker;
        lock.lock();
        try {
            worker = workers.get(peer.pid());
            if (peer.uid() != uid || worker == null || worker.state != State.STARTING || worker.handoff != null) {
                worker = null;
            } else {
                worker.handoff = channel;
            }
        } finally {
            lock.unlock();
        }
        if (worker == null) {
            log.warn("handoff peer rejected: pid {} uid {} is not a worker this supervisor is waiting for",
                    peer.pid(), peer.uid());
            closeQuietly(channel);
            return;
        }
        WorkerProcess w = worker;
        Thread.ofPlatform().daemon().name("handoff-" + w.pid).start(() -> readControl(w));
    }

    private void readControl(WorkerProcess worker) {
        try {
            ControlMessage m;
            while ((m = worker.handoff.receive()) != null) {
                if (m.hasFd()) {
                    SocketFds.close(m.fd());
                }
                String rest = HandoffProtocol.rest(m.line());
                switch (HandoffProtocol.verb(m.line())) {
                    case HandoffProtocol.HELLO -> ready(worker, rest);
                    case HandoffProtocol.AUTHFAIL -> {
                        Admission.Ticket t = worker.ticket;
                        if (t != null) {
                            t.authenticationFailed();
                        }
                    }
                    case HandoffProtocol.REGISTERED -> {
                        Admission.Ticket t = worker.ticket;
                        if (t != null) {
                            t.registered();
                        }
                        worker.nick = rest;
                        log.info("worker {}: {} registered as {}", worker.pid, worker.client, rest);
                    }
                    case HandoffProtocol.NICK -> worker.nick = rest;
                    case HandoffProtocol.BYE -> worker.byeReason = rest;
                    case HandoffProtocol.QUITLOST -> {
                        log.warn("worker {}: the log refused the Quit of session {}; the supervisor writes it",
                                worker.pid, worker.session);
                        worker.byeReason = rest; // it is written here; its reaping must not write another
                        lostSession.accept(worker.session, rest);
                    }
                    default -> log.warn("worker {} said something unknown: {}", worker.pid, m.line());
                }
            }
        } catch (IOException e) {
            log.debug("handoff connection of worker {} failed: {}", worker.pid, e.getMessage());
        }
    }

    private void ready(WorkerProcess worker, String pidText) {
        if (!pidText.equals(Integer.toString(worker.pid))) {
            log.warn("worker {} said HELLO as pid '{}'; stopping it", worker.pid, pidText);
            worker.process.destroy();
            return;
        }
        Waiting next;
        lock.lock();
        try {
            youngDeaths = 0;
            if (worker.state != State.STARTING) {
                return;
            }
            if (worker.generation != generation) {
                // spawned before a reload, it read the old settings and certificate: replaced too
                stopWorker(worker, "settings reloaded");
                changed.signalAll();
                return;
            }
            next = stopping ? null : waiting.poll();
            if (next == null) {
                worker.state = State.IDLE;
                idle.add(worker);
                changed.signalAll();
                log.debug("worker {} ready in {} ms", worker.pid, Math.round(worker.ageSeconds() * 1000));
                if (stopping) {
                    stopWorker(worker, HandoffProtocol.SHUTDOWN_REASON);
                }
                return;
            }
            claim(worker, next.address(), next.port(), next.ticket());
        } finally {
            lock.unlock();
        }
        handOver(worker, next.socket());
    }

    // ---------------------------------------------------------------- spawning and reaping

    private void maintain() {
        while (true) {
            List<Waiting> expired = new ArrayList<>();
            int toSpawn = 0;
            lock.lock();
            try {
                if (stopping) {
                    return;
                }
                long now = System.nanoTime();
                for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
                    Waiting w = it.next();
                    if (now - w.deadlineNanos() > 0) {
                        it.remove();
                        expired.add(w);
                    }
                }
                int starting = 0;
                for (WorkerProcess w : workers.values()) {
                    if (w.state == State.STARTING) {
                        starting++;
                    }
                }
                int ceiling = config.get(Settings.MAX_CLIENTS) + config.get(Settings.POOL_MAX_SPARE);
                int wanted = waiting.size() + config.get(Settings.POOL_MIN_SPARE) - idle.size() - starting;
                wanted = Math.min(wanted, ceiling - workers.size());
                boolean settling = waiting.isEmpty() && !idle.isEmpty()
                        && now - lastClaimNanos < SETTLE_AFTER_HANDOFF_NANOS;
                if (wanted <= 0) {
                    spawnRound = 1;
                } else if (now - nextSpawnAtNanos >= 0 && !settling) {
                    toSpawn = Math.min(wanted, spawnRound);
                    spawnRound = Math.min(spawnRound * 2, MAX_SPAWN_ROUND);
                    nextSpawnAtNanos = now + backoffNanos();
                }
                while (idle.size() > config.get(Settings.POOL_MAX_SPARE)) {
                    WorkerProcess extra = idle.poll();
                    stopWorker(extra, "pool shrinking");
                }
            } finally {
                lock.unlock();
            }
            for (Waiting w : expired) {
                log.warn("no worker became free within worker_wait for {}:{}", w.address(), w.port());
                Refusal.refuse(w.socket(), w.address() + ":" + w.port(), "No worker available, try again later", w.ticket().tls);
                w.ticket().ended();
            }
            for (int i = 0; i < toSpawn; i++) {
                spawn();
            }
            lock.lock();
            try {
                changed.await(ROUND_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private long backoffNanos() {
        if (youngDeaths == 0) {
            return 0;
        }
        long millis = Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(youngDeaths, 10));
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void spawn() {
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            // Launch under the lock: the pid is recorded before the child can possibly connect
            // to the handoff socket, so attach() always finds it.
            WorkerProcess[] holder = new WorkerProcess[1];
            Process process = launcher.launch(status -> reaped(holder, status));
            WorkerProcess worker = new WorkerProcess(process, generation);
            holder[0] = worker;
            workers.put(worker.pid, worker);
            log.debug("spawned worker {}", worker.pid);
        } catch (IOException e) {
            youngDeaths++;
            log.error("cannot spawn a worker: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void reaped(WorkerProcess[] holder, int status) {
        WorkerProcess worker;
        lock.lock();
        try {
            worker = holder[0];
            if (worker == null) {
                // exited before launch() returned; nothing was registered for it
                return;
            }
            workers.remove(worker.pid);
            idle.remove(worker);
            boolean young = worker.client == null && worker.state != State.STOPPING && !stopping
                    && worker.ageSeconds() < YOUNG_SECONDS;
            if (young) {
                // Back off from now: the next spawn waits, however the current round was planned.
                youngDeaths++;
                spawnRound = 1;
                nextSpawnAtNanos = System.nanoTime() + backoffNanos();
                log.warn("worker {} died young ({}) after {} s without a client; {} in a row, next spawn in {} ms",
                        worker.pid, describe(status), String.format("%.1f", worker.ageSeconds()), youngDeaths,
                        TimeUnit.NANOSECONDS.toMillis(backoffNanos()));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(worker.handoff);
        if (roster != null && worker.client != null) {
            roster.releasePid(worker.pid); // a worker that was killed could not give its slot back
        }
        if (worker.ticket != null) {
            worker.ticket.ended();
        }
        if (worker.client == null) {
            log.debug("worker {} exited ({}) without a client", worker.pid, describe(status));
            return;
        }
        double served = (System.nanoTime() - worker.clientAtNanos) / 1e9;
        if (worker.byeReason != null) {
            log.info("worker {} ended ({}): {} left after {} s: {}", worker.pid, describe(status), worker.who(),
                    String.format("%.1f", served), worker.byeReason);
        } else {
            String reason = "Connection lost (worker " + describe(status) + ")";
            log.warn("worker {} ended without saying goodbye ({}); {} lost after {} s", worker.pid, describe(status),
                    worker.who(), String.format("%.1f", served));
            lostSession.accept(worker.session, reason);
        }
    }

    /** "exit 0", "killed by SIGKILL". */
    static String describe(int status) {
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String name = switch (signal) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 10 -> "SIGUSR1";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + signal;
            };
            return "killed by " + name;
        }
        return "exit " + status;
    }

    // ---------------------------------------------------------------- stopping

    /** Must hold the lock. Tells an idle or busy worker to go; one still starting gets SIGTERM. */
    private void stopWorker(WorkerProcess worker, String reason) {
        worker.state = State.STOPPING;
        if (worker.handoff == null) {
            worker.process.toHandle().destroy();
            return;
        }
        try {
            worker.handoff.send(HandoffProtocol.STOP + " " + reason);
        } catch (IOException e) {
            log.debug("worker {} gone before STOP: {}", worker.pid, e.getMessage());
        }
    }

    /**
     * Stops every worker: waiting connections are refused, every worker is told to go (its
     * client gets {@code ERROR :reason}), and after {@code timeout} whatever is left is killed.
     * Returns when every worker has been reaped (or 5 s after the kill).
     */
    @Override
    public void stopAll(String reason, long timeoutMillis) {
        List<Waiting> refused;
        lock.lock();
        try {
            stopping = true;
            refused = new ArrayList<>(waiting);
            waiting.clear();
            idle.clear();
            for (WorkerProcess w : workers.values()) {
                stopWorker(w, reason);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Waiting w : refused) {
            Refusal.refuse(w.socket(), w.address() + ":" + w.port(), reason, w.ticket().tls);
            w.ticket().ended();
        }
        if (!awaitEmpty(timeoutMillis)) {
            lock.lock();
            try {
                for (WorkerProcess w : workers.values()) {
                    log.warn("worker {} ({}) did not stop in time; killing it", w.pid, w.who());
                    w.process.toHandle().destroyForcibly();
                }
            } finally {
                lock.unlock();
            }
            awaitEmpty(5_000);
        }
        if (maintenance != null) {
            maintenance.interrupt();
        }
    }

    private boolean awaitEmpty(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return workers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(HandoffChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a handoff connection: {}", e.getMessage());
        }
    }
}
