package forkchat.ipc;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The receiving end of a doorbell: level-triggered. {@link #ring()} may be called any number of
 * times from any thread (a signal handler thread, an appending thread); {@link #await} returns as
 * soon as at least one ring happened since the previous await returned, or when the timeout
 * passes. Rings merge: a ring means "look at the log", never "one new record".
 *
 * <p>Lock-free (an atomic flag, LockSupport park/unpark), so it neither pins a virtual thread nor
 * ever blocks a ringer. Meant for one waiting thread; with several, each ring wakes them all and
 * exactly one of them consumes it.
 */
public final class Bell implements WakeUp {

    private final AtomicBoolean rung = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

    /** Marks the bell rung and wakes the waiter. Never blocks. */
    @Override
    public void ring() {
        rung.set(true);
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    /** Waits for a ring; returns true if rung (and clears it), false on timeout. */
    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (rung.getAndSet(false)) {
            return true;
        }
        long nanos = unit.toNanos(timeout);
        if (nanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        Thread me = Thread.currentThread();
        waiters.add(me);
        try {
            while (true) {
                // Registered before this check: a ring after it unparks us (or leaves a permit).
                if (rung.getAndSet(false)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiters.remove(me);
        }
    }
}
