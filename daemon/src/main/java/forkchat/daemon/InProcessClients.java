package forkchat.daemon;

import forkchat.chat.SessionObserver;
import forkchat.config.Config;
import forkchat.ipc.Bell;
import forkchat.ipc.LocalDoorbell;
import forkchat.worker.ClientConnection;
import forkchat.worker.SessionSetup;
import forkchat.worker.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread and virtual models: every client is served inside the supervisor JVM by the same
 * {@link ClientConnection} a fork worker runs — a reader and a sender — on two threads from
 * {@code threads}: platform threads (scheduled by the kernel, like the fork model's processes)
 * or virtual threads (scheduled by the JVM on a few carriers, M:N). Each client has its own view
 * of the log, as a worker does; the doorbell is a {@link LocalDoorbell} instead of SIGUSR1.
 */
final class InProcessClients implements ClientHost {

    private static final Logger log = LoggerFactory.getLogger(InProcessClients.class);

    private volatile SessionSetup setup;
    private final ThreadFactory threads;
    private final String model;
    private final LocalDoorbell doorbell = new LocalDoorbell();
    private final SessionIds sessions;
    private final Set<ClientConnection> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private int clients;
    private volatile String stopping;
    private final java.util.function.BiConsumer<String, String> lostQuit;

    /** @param lostQuit called with (session, reason) when the log refused a session's Quit */
    InProcessClients(SessionSetup setup, boolean virtual, java.util.function.BiConsumer<String, String> lostQuit,
                     SessionIds sessions) {
        this.sessions = sessions;
        this.setup = setup;
        this.lostQuit = lostQuit;
        this.model = virtual ? "virtual" : "thread";
        this.threads = virtual ? Thread.ofVirtual().name("client-", 0).factory()
                : Thread.ofPlatform().name("client-", 0).factory();
    }

    @Override
    public void start() {
    }

    @Override
    public void dispatch(SocketChannel socket, Admission.Ticket ticket) {
        String who = ticket.peer;
        lock.lock();
        try {
            if (stopping != null) {
                Refusal.refuse(socket, who, stopping, ticket.tls);
                ticket.ended();
                return;
            }
            clients++;
        } finally {
            lock.unlock();
        }
        String session = sessions.next();
        threads.newThread(() -> serve(socket, session, who, ticket)).start();
    }

    private void serve(SocketChannel socket, String session, String who, Admission.Ticket ticket) {
        SessionSetup setup = this.setup;
        String host = who.substring(0, who.lastIndexOf(':'));
        Bell bell = new Bell();
        ClientConnection connection = null;
        try (SessionSetup.View view = setup.open(doorbell);
             AutoCloseable ring = doorbell.register(bell::ring)) {
            connection = new ClientConnection(socket, ticket.tls ? setup.tlsContext() : null, bell,
                    setup.sendTimeout(),
                    sink -> setup.session(view, sink, observer(session, who, ticket), session, host, ticket.tls));
            live.add(connection);
            log.info("connection {}{} → {} thread (session {})", who, ticket.tls ? " (TLS)" : "", model, session);
            if (stopping != null) {
                connection.shutdown(stopping);
            }
            String reason = connection.serve(threads);
            log.info("session {} ({}) ended: {}", session, who, reason);
        } catch (Exception e) {
            log.error("session {} ({}) failed: {}", session, who, e.toString(), e);
            Refusal.close(socket);
        } finally {
            if (connection != null) {
                live.remove(connection);
            }
            ticket.ended();
            lock.lock();
            try {
                clients--;
                ended.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private SessionObserver observer(String session, String who, Admission.Ticket ticket) {
        return new SessionObserver() {
            @Override
            public void registered(String nick) {
                ticket.registered();
                log.info("session {}: {} registered as {}", session, who, nick);
            }

            @Override
            public void authenticationFailed(String account) {
                ticket.authenticationFailed();
            }

            @Override
            public void quitNotStored(String session, String reason) {
                lostQuit.accept(session, reason);
            }
        };
    }

    @Override
    public void logAppended() {
        doorbell.ring();
    }

    @Override
    public int clients() {
        lock.lock();
        try {
            return clients;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stopAll(String reason, long timeoutMillis) {
        stopping = reason;
        for (ClientConnection c : live) {
            c.shutdown(reason);
        }
        if (!awaitNone(timeoutMillis)) {
            for (ClientConnection c : live) {
                c.abort(reason);
            }
            awaitNone(5_000);
        }
    }

    private boolean awaitNone(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (clients > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                ended.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reconfigure(Config next, TlsCredentials tls) {
        setup = setup.reconfigured(next).withTls(tls);
    }

    @Override
    public String describe() {
        return "model " + model + ", a " + (model.equals("virtual") ? "virtual" : "platform")
                + " thread pair per client";
    }
}
