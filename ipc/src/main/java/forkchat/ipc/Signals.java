package forkchat.ipc;

/**
 * Signal dispositions for the JVM processes, through sun.misc.Signal (never jnr-posix signal(),
 * see PLATFORM-NOTES). CONTRACT ONLY: implemented by the ipc work.
 */
public final class Signals {

    private Signals() {
    }

    /** Sets SIGUSR1 to SIG_IGN at the OS level (inherited by children across exec). */
    public static void ignoreUsr1() {
        throw new UnsupportedOperationException("contract");
    }

    /** Installs a SIGUSR1 handler that rings {@code bell}. */
    public static void onUsr1(Bell bell) {
        throw new UnsupportedOperationException("contract");
    }

    /** Installs {@code action} for the named signal ("TERM", "INT", "HUP"). */
    public static void on(String name, Runnable action) {
        throw new UnsupportedOperationException("contract");
    }

    /** Sets the named signal to SIG_IGN. */
    public static void ignore(String name) {
        throw new UnsupportedOperationException("contract");
    }
}
