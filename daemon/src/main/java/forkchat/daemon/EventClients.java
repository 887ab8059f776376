package forkchat.daemon;

import forkchat.chat.SessionObserver;
import forkchat.config.Config;
import forkchat.ipc.LocalDoorbell;
import forkchat.worker.EventLoop;
import forkchat.worker.SessionSetup;
import forkchat.worker.TlsCredentials;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event model: every client on one {@link EventLoop} thread inside the supervisor JVM. */
final class EventClients implements ClientHost {

    private static final Logger log = LoggerFactory.getLogger(EventClients.class);

    private volatile SessionSetup setup;
    private final EventLoop loop;
    private final SessionIds sessions;
    private volatile String stopping;

    /** @param lostQuit called with (session, reason) when the log refused a session's Quit */
    private final java.util.function.BiConsumer<String, String> lostQuit;
    private final LocalDoorbell doorbell = new LocalDoorbell();

    EventClients(SessionSetup setup, java.util.function.BiConsumer<String, String> lostQuit, SessionIds sessions)
            throws IOException {
        this.sessions = sessions;
        this.setup = setup;
        this.lostQuit = lostQuit;
        this.loop = new EventLoop(doorbell);
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void dispatch(SocketChannel socket, Admission.Ticket ticket) {
        String who = ticket.peer;
        if (stopping != null) {
            Refusal.refuse(socket, who, stopping, ticket.tls);
            ticket.ended();
            return;
        }
        String session = sessions.next();
        try {
            loop.serve(socket, ticket.tls, setup, session, ticket.address, ticket::ended, new SessionObserver() {
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

                @Override
                public void ended(String reason) {
                    log.info("session {} ({}) ended: {}", session, who, reason);
                }
            });
            log.info("connection {}{} → event loop (session {})", who, ticket.tls ? " (TLS)" : "", session);
        } catch (IOException e) {
            log.error("cannot serve {}: {}", who, e.getMessage());
            Refusal.close(socket);
            ticket.ended();
        }
    }

    @Override
    public void logAppended() {
        doorbell.ring();
    }

    @Override
    public int clients() {
        return loop.clients();
    }

    @Override
    public void stopAll(String reason, long timeoutMillis) {
        stopping = reason;
        loop.shutdown(reason);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (loop.clients() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // shutdown only, bounded; the loop owns the connections
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void reconfigure(Config next, TlsCredentials tls) {
        setup = setup.reconfigured(next).withTls(tls);
    }

    @Override
    public String describe() {
        return "model event, one selector thread for every client";
    }
}
