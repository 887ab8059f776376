package forkchat.daemon;

import forkchat.config.Config;
import forkchat.worker.TlsCredentials;
import java.nio.channels.SocketChannel;

/**
 * What serves the accepted connections: the one part of forkchatd that differs between the
 * concurrency models. The supervisor's accept loop, admission limits, log recovery, signals
 * and stop sequence are the same for all of them.
 */
interface ClientHost {

    /** Starts serving (the fork model fills its worker pool). */
    void start();

    /** Returns once the host can serve without delay, or gives up and says why in the log. */
    default void awaitReady() {
    }

    /**
     * An admitted connection: served, or refused with one ERROR line. Called by the accept
     * thread. The host reports registration and failed logins on the ticket and ends it exactly
     * once, on every path.
     */
    void dispatch(SocketChannel socket, Admission.Ticket ticket);

    /** Connections being served or waiting to be: what max_clients counts. */
    int clients();

    /**
     * Tells every client {@code ERROR :reason} and ends its session; after {@code timeoutMillis}
     * whatever is left is forced closed. Returns when nothing is left.
     */
    void stopAll(String reason, long timeoutMillis);

    /** One line for the start-up log: the model and what it has ready. */
    String describe();

    /** A short status for the service manager (systemd STATUS=). */
    default String status() {
        return clients() + " clients";
    }

    /**
     * The supervisor appended to the log (a Quit it owed): ring whatever doorbell this host's
     * sessions listen to. The fork model's workers hear the supervisor's SIGUSR1 to the group.
     */
    default void logAppended() {
    }

    /**
     * Reloaded settings and TLS credentials (null without a TLS listener): they apply to the
     * connections that come next; nobody is disconnected.
     */
    void reconfigure(Config next, TlsCredentials tls);
}
