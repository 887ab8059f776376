package forkchat.ipc;

import java.util.concurrent.TimeUnit;

/**
 * The receiving end of a doorbell: level-triggered. {@link #ring()} may be called any number of
 * times from any thread (a signal handler thread, an appending thread); {@link #await} returns as
 * soon as at least one ring happened since the previous await returned, or when the timeout
 * passes. Rings merge: a ring means "look at the log", never "one new record".
 * CONTRACT ONLY: implemented by the ipc work. Must not use synchronized (virtual threads).
 */
public final class Bell {

    /** Marks the bell rung and wakes the waiter. Never blocks. */
    public void ring() {
        throw new UnsupportedOperationException("contract");
    }

    /** Waits for a ring; returns true if rung (and clears it), false on timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        throw new UnsupportedOperationException("contract");
    }
}
