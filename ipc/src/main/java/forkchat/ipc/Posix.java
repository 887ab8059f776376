package forkchat.ipc;

import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import java.io.IOException;

/**
 * The package's single native {@link POSIX} (created on first use) and the small helpers every
 * caller needs around it: errno as an {@link IOException} naming the call, EINTR retries, flock.
 *
 * <p>Only methods of jnr-posix that return the raw result are used: a few (mkdir, the one-argument
 * fstat, stat) report failure through the POSIXHandler as a RuntimeException instead, and are
 * avoided here.
 */
final class Posix {

    /** flock(2) operations (jnr-constants has no enum for them; same values on Linux and BSDs). */
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;

    static final int EINTR = Errno.EINTR.intValue();
    static final int ESRCH = Errno.ESRCH.intValue();
    static final int EPERM = Errno.EPERM.intValue();
    static final int EAGAIN = Errno.EAGAIN.intValue();
    static final int EWOULDBLOCK = Errno.EWOULDBLOCK.intValue();
    static final int EEXIST = Errno.EEXIST.intValue();

    static final int O_RDONLY = OpenFlags.O_RDONLY.intValue();
    static final int O_WRONLY = OpenFlags.O_WRONLY.intValue();
    static final int O_RDWR = OpenFlags.O_RDWR.intValue();
    static final int O_APPEND = OpenFlags.O_APPEND.intValue();
    static final int O_CREAT = OpenFlags.O_CREAT.intValue();
    static final int O_CLOEXEC = OpenFlags.O_CLOEXEC.intValue();
    static final int O_EXCL = OpenFlags.O_EXCL.intValue();

    private Posix() {
    }

    private static final class Holder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    /** The shared native POSIX; fails (UnsatisfiedLinkError and friends) if it cannot load. */
    static POSIX get() {
        return Holder.POSIX;
    }

    static int errno() {
        return get().errno();
    }

    static String describe(int errno) {
        String text;
        try {
            text = get().strerror(errno);
        } catch (RuntimeException e) {
            text = null;
        }
        String name;
        try {
            Errno e = Errno.valueOf(errno);
            name = e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
        } catch (RuntimeException e) {
            name = "errno " + errno;
        }
        return text == null ? name : name + " (" + text + ")";
    }

    /** An IOException for the current errno, naming {@code call} and what it was applied to. */
    static IOException error(String call, Object what) {
        return error(call, what, errno());
    }

    static IOException error(String call, Object what, int errno) {
        return new ErrnoException(call + (what == null ? "" : "(" + what + ")") + " failed: " + describe(errno),
                errno);
    }

    /** An IOException that remembers the errno it was made from. */
    static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    // ---- thin checked wrappers --------------------------------------------------------------

    static int open(String path, int flags, int mode) throws IOException {
        while (true) {
            int fd = get().open(path, flags, mode);
            if (fd >= 0) {
                return fd;
            }
            int e = errno();
            if (e != EINTR) {
                throw error("open", path, e);
            }
        }
    }

    /**
     * flock(2), retrying EINTR. On a virtual thread a lock that is not free at once is waited
     * for by parking between non-blocking attempts, never inside the native call: a virtual
     * thread blocked in native code would hold its carrier thread for as long as the writer
     * holds the lock (the "no blocking native calls on a virtual thread" rule of the threaded
     * builds). The wait backs off from 20 µs to 1 ms; writers hold the lock for one write(2).
     */
    static void flock(int fd, int op, Object what) throws IOException {
        boolean park = Thread.currentThread().isVirtual() && (op & LOCK_NB) == 0;
        long backoffNanos = 20_000;
        while (true) {
            if (get().flock(fd, park ? op | LOCK_NB : op) == 0) {
                return;
            }
            int e = errno();
            if (park && (e == EWOULDBLOCK || e == EAGAIN)) {
                java.util.concurrent.locks.LockSupport.parkNanos(backoffNanos);
                backoffNanos = Math.min(backoffNanos * 2, 1_000_000);
                continue;
            }
            if (e != EINTR) {
                throw error("flock", what + ", " + lockName(op), e);
            }
        }
    }

    /** Releases a flock; never throws (used in finally blocks), an error is returned as text. */
    static String unlockQuietly(int fd) {
        if (get().flock(fd, LOCK_UN) == 0) {
            return null;
        }
        return describe(errno());
    }

    static String lockName(int op) {
        String s = switch (op & ~LOCK_NB) {
            case LOCK_SH -> "LOCK_SH";
            case LOCK_EX -> "LOCK_EX";
            case LOCK_UN -> "LOCK_UN";
            default -> String.valueOf(op);
        };
        return (op & LOCK_NB) != 0 ? s + "|LOCK_NB" : s;
    }

    static FileStat fstat(int fd, Object what) throws IOException {
        FileStat st = get().allocateStat();
        if (get().fstat(fd, st) < 0) {
            throw error("fstat", what);
        }
        return st;
    }

    static long size(int fd, Object what) throws IOException {
        return fstat(fd, what).st_size();
    }

    static void ftruncate(int fd, long length, Object what) throws IOException {
        while (true) {
            if (get().ftruncate(fd, length) == 0) {
                return;
            }
            int e = errno();
            if (e != EINTR) {
                throw error("ftruncate", what + ", " + length, e);
            }
        }
    }

    static void fdatasync(int fd, Object what) throws IOException {
        while (true) {
            if (get().fdatasync(fd) == 0) {
                return;
            }
            int e = errno();
            if (e != EINTR) {
                throw error("fdatasync", what, e);
            }
        }
    }

    /** fsync(2) of a directory opened O_RDONLY: makes a created, renamed or removed name durable. */
    static void fsyncDirectory(String dir) throws IOException {
        int fd = open(dir, O_RDONLY | O_CLOEXEC, 0);
        try {
            while (get().fsync(fd) != 0) {
                int e = errno();
                if (e != EINTR) {
                    throw error("fsync", dir, e);
                }
            }
        } finally {
            close(fd);
        }
    }

    static void fchmod(int fd, int mode, Object what) throws IOException {
        if (get().fchmod(fd, mode) != 0) {
            throw error("fchmod", what + ", 0" + Integer.toOctalString(mode));
        }
    }

    /** close(2); EINTR is not retried (Linux has released the descriptor either way). */
    static int close(int fd) {
        return get().close(fd);
    }
}
