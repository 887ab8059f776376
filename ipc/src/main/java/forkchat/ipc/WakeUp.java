package forkchat.ipc;

import java.util.concurrent.TimeUnit;

/**
 * What a connection's sender waits on between catch-ups: rung by whatever may have news for it
 * (the doorbell, a line queued for its client, the end of the session), awaited by the sender
 * alone. Level-triggered: rings that come while nobody waits are not lost but merge into one,
 * so a ring means "look again", never "one new thing".
 *
 * <p>{@link Bell} is the in-process one (threaded models, and fork workers that take SIGUSR1
 * through the JDK's handler); {@link SignalWaiter} is the fork worker's, where the sender takes
 * SIGUSR1 itself and a ring from inside the worker is a SIGUSR1 to its own process.
 */
public interface WakeUp {

    /** Wakes the waiter, or makes its next {@link #await} return at once. Any thread; never blocks. */
    void ring();

    /**
     * Waits for a ring; returns true if there was one (and consumes it), false when the timeout
     * passed (or, for {@link SignalWaiter}, on a spurious wake-up: the caller looks anyway).
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
