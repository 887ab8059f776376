package forkchat.ipc;

/**
 * Process-group helpers. Failures of the underlying calls are programming or environment errors
 * the caller cannot handle locally, so they are thrown as IllegalStateException naming the call
 * and the errno text.
 */
public final class ProcessGroup {

    private ProcessGroup() {
    }

    /** Makes the calling process lead its own group (setpgid(0,0)) unless it already does; returns the pgid. */
    public static int leadOwnGroup() {
        int pid = Posix.get().getpid();
        if (Posix.get().getpgrp() == pid) {
            return pid;
        }
        if (Posix.get().setpgid(0, 0) != 0) {
            int e = Posix.errno();
            // A session leader cannot change group (EPERM) but already leads one.
            if (!(e == Posix.EPERM && Posix.get().getpgrp() == pid)) {
                throw new IllegalStateException("setpgid(0, 0) failed: " + Posix.describe(e));
            }
        }
        return Posix.get().getpgrp();
    }

    /** The calling process's group id. */
    public static int current() {
        return Posix.get().getpgrp();
    }

    /** Moves the calling process into group {@code pgid} (same session). */
    public static void join(int pgid) {
        if (pgid <= 0) {
            throw new IllegalArgumentException("not a process group: " + pgid);
        }
        if (Posix.get().setpgid(0, pgid) != 0) {
            throw new IllegalStateException("setpgid(0, " + pgid + ") failed: " + Posix.describe(Posix.errno()));
        }
    }

    /** The calling process's pid. */
    public static int pid() {
        return (int) ProcessHandle.current().pid();
    }

    /** The calling process's real uid. */
    public static int uid() {
        return Posix.get().getuid();
    }

    /**
     * Sends {@code signal} (e.g. 9, 15) to one process; false if it does not exist (ESRCH).
     * {@code pid} must be &gt; 0 (this is not a way to signal groups); another failure (EPERM:
     * the pid now belongs to a process we may not signal, EINVAL: no such signal) throws
     * IllegalStateException. Signal 0 only checks for existence.
     */
    public static boolean kill(int pid, int signal) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a single process: " + pid);
        }
        if (Posix.get().kill(pid, signal) == 0) {
            return true;
        }
        int e = Posix.errno();
        if (e == Posix.ESRCH) {
            return false;
        }
        throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed: " + Posix.describe(e));
    }
}
