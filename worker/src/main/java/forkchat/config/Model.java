package forkchat.config;

/**
 * The concurrency models forkchatd can run: they differ only in how a client gets a flow of
 * control; the session, the log, the fan-out rules and the limits are the same.
 */
public enum Model {
    /** A worker JVM per client, handed the socket with SCM_RIGHTS; SIGUSR1 is the doorbell. */
    FORK,
    /** A platform (kernel) thread per client inside the supervisor JVM. */
    THREAD,
    /** A virtual thread per client inside the supervisor JVM (user-level M:N scheduling). */
    VIRTUAL,
    /** One selector thread multiplexing every client with non-blocking I/O. */
    EVENT
}
