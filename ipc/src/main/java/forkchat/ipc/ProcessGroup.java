package forkchat.ipc;

/** Process-group helpers. CONTRACT ONLY: implemented by the ipc work. */
public final class ProcessGroup {

    private ProcessGroup() {
    }

    /** Makes the calling process lead its own group (setpgid(0,0)) unless it already does; returns the pgid. */
    public static int leadOwnGroup() {
        throw new UnsupportedOperationException("contract");
    }

    /** The calling process's group id. */
    public static int current() {
        throw new UnsupportedOperationException("contract");
    }

    /** Moves the calling process into group {@code pgid} (same session). */
    public static void join(int pgid) {
        throw new UnsupportedOperationException("contract");
    }

    /** The calling process's pid. */
    public static int pid() {
        return (int) ProcessHandle.current().pid();
    }

    /** The calling process's real uid. */
    public static int uid() {
        throw new UnsupportedOperationException("contract");
    }

    /** Sends {@code signal} (e.g. 9, 15) to one process; false if it does not exist. */
    public static boolean kill(int pid, int signal) {
        throw new UnsupportedOperationException("contract");
    }
}
