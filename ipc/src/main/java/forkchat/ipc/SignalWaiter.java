package forkchat.ipc;

import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fork worker's {@link WakeUp}: its sender thread takes SIGUSR1 itself, with
 * {@code sigtimedwait(2)}, and nothing stands between a ring and the sender.
 *
 * <p>The JDK runs every {@code sun.misc.Signal} handler on a thread it starts for that one signal;
 * in the fork model every append rings every worker, so at 64 clients that was 64 thread starts
 * per message (0.4–0.8 ms of CPU per worker per ring). When the worker JVM is started with
 * SIGUSR1 blocked (the supervisor starts it through {@code env --block-signal=USR1}; HotSpot
 * never unblocks USR1 in its threads), no thread can take the signal: it stays pending, merged
 * with any others, until the sender collects it here. An earlier version collected it on a
 * thread of its own that then woke the sender: two thread wake-ups per ring per worker instead
 * of one.
 *
 * <p>A ring from inside the worker (its reader queued a line, the session ended) is
 * {@code kill(getpid(), SIGUSR1)}: pending like a doorbell ring, and taken by the same wait.
 * Only one thread may {@link #await}; any thread may {@link #ring}.
 */
public final class SignalWaiter implements WakeUp {

    private static final Logger log = LoggerFactory.getLogger(SignalWaiter.class);

    /** The libc calls this needs; sigset_t is at most 128 bytes on Linux and FreeBSD. */
    public interface LibC {
        int pthread_sigmask(int how, Pointer set, Pointer old);

        int sigemptyset(Pointer set);

        int sigaddset(Pointer set, int signal);

        int sigismember(Pointer set, int signal);

        int sigtimedwait(Pointer set, Pointer info, Pointer timeout);

        int getpid();

        int kill(int pid, int signal);
    }

    private static final int SIGSET_BYTES = 128;
    private static final int SIGINFO_BYTES = 128;
    private static final int USR1 = jnr.constants.platform.Signal.SIGUSR1.intValue();

    private final LibC libc;
    private final int pid;
    private final Pointer wanted;
    private final Pointer info;
    /** struct timespec of the one waiter's current wait. */
    private final Pointer timeout;

    private SignalWaiter(LibC libc, jnr.ffi.Runtime runtime) {
        this.libc = libc;
        this.pid = libc.getpid();
        this.wanted = Memory.allocateDirect(runtime, SIGSET_BYTES);
        libc.sigemptyset(wanted);
        libc.sigaddset(wanted, USR1);
        this.info = Memory.allocateDirect(runtime, SIGINFO_BYTES);
        this.timeout = Memory.allocateDirect(runtime, 16);
    }

    /**
     * A waiter for SIGUSR1 if it is blocked in the calling thread (inherited from the exec that
     * started this JVM), else null (use a {@link Bell} and {@link Signals#onUsr1}). Binding libc
     * takes a cold JVM tens of milliseconds: a worker does it while idle, not once its client came.
     */
    public static SignalWaiter forUsr1() {
        LibC libc;
        try {
            libc = LibraryLoader.create(LibC.class).load("c");
        } catch (RuntimeException | LinkageError e) {
            log.debug("no sigtimedwait: {}", e.toString());
            return null;
        }
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        Pointer current = Memory.allocateDirect(runtime, SIGSET_BYTES);
        // with a null set, 'how' is ignored and the call only reports the mask
        if (libc.pthread_sigmask(0, null, current) != 0 || libc.sigismember(current, USR1) != 1) {
            return null;
        }
        return new SignalWaiter(libc, runtime);
    }

    /** A SIGUSR1 to this process: pending until the waiter takes it (merged with any other). */
    @Override
    public void ring() {
        if (libc.kill(pid, USR1) != 0) {
            log.debug("kill({}, SIGUSR1) failed", pid);
        }
    }

    /**
     * Takes one pending SIGUSR1 (all pending rings merge into it), waiting at most
     * {@code timeout}; false on timeout or when another signal's handler interrupted the wait.
     * The calling thread's interrupt is checked before and after (it cannot end the native wait).
     */
    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long nanos = Math.max(0, unit.toNanos(timeout));
        this.timeout.putLong(0, nanos / 1_000_000_000L); // tv_sec
        this.timeout.putLong(8, nanos % 1_000_000_000L); // tv_nsec
        int got = libc.sigtimedwait(wanted, info, this.timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return got == USR1;
    }
}
