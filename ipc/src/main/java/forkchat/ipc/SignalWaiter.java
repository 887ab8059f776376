package forkchat.ipc;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The doorbell's receiving end without a thread per ring. The JDK runs every {@code sun.misc.Signal}
 * handler on a thread it starts for that one signal; in the fork model every append rings every
 * worker, so at 64 clients that was 64 thread starts per message, and measured 0.4–0.8 ms of CPU
 * per worker per ring, most of the fork model's cost. When the worker JVM was started with
 * SIGUSR1 blocked (the supervisor starts it through {@code env --block-signal=USR1}; HotSpot never
 * unblocks USR1 in its threads), no thread can take the signal, so it stays pending until one
 * long-lived thread collects it with {@code sigtimedwait(2)} and rings the {@link Bell}. Merged
 * rings stay merged, which the level-triggered bell allows.
 */
public final class SignalWaiter {

    private static final Logger log = LoggerFactory.getLogger(SignalWaiter.class);

    /** The libc calls this needs; sigset_t is at most 128 bytes on Linux and FreeBSD. */
    public interface LibC {
        int pthread_sigmask(int how, Pointer set, Pointer old);

        int sigemptyset(Pointer set);

        int sigaddset(Pointer set, int signal);

        int sigismember(Pointer set, int signal);

        int sigtimedwait(Pointer set, Pointer info, Pointer timeout);
    }

    private static final int SIGSET_BYTES = 128;
    private static final int SIGINFO_BYTES = 128;

    private SignalWaiter() {
    }

    /**
     * If SIGUSR1 is blocked in the calling thread (inherited from the exec that started this
     * JVM), starts a daemon thread that rings {@code bell} for every SIGUSR1 and returns true;
     * otherwise changes nothing and returns false (use {@link Signals#onUsr1}).
     */
    public static boolean ringOnUsr1(Bell bell) {
        int usr1 = jnr.constants.platform.Signal.SIGUSR1.intValue();
        LibC libc;
        try {
            libc = LibraryLoader.create(LibC.class).load("c");
        } catch (RuntimeException | LinkageError e) {
            log.debug("no sigtimedwait: {}", e.toString());
            return false;
        }
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        Pointer current = Memory.allocateDirect(runtime, SIGSET_BYTES);
        // with a null set, 'how' is ignored and the call only reports the mask
        if (libc.pthread_sigmask(0, null, current) != 0 || libc.sigismember(current, usr1) != 1) {
            return false;
        }
        Pointer wanted = Memory.allocateDirect(runtime, SIGSET_BYTES);
        libc.sigemptyset(wanted);
        libc.sigaddset(wanted, usr1);
        Pointer info = Memory.allocateDirect(runtime, SIGINFO_BYTES);
        Pointer timeout = Memory.allocateDirect(runtime, 16);
        timeout.putLong(0, 1);   // tv_sec: wake once a second, so the thread is never stuck in native code for long
        timeout.putLong(8, 0);   // tv_nsec
        Thread.ofPlatform().daemon().name("doorbell").start(() -> {
            while (true) {
                int got = libc.sigtimedwait(wanted, info, timeout);
                if (got == usr1) {
                    bell.ring();
                }
                // -1: the timeout (EAGAIN) or EINTR: wait again
            }
        });
        return true;
    }
}
