package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fork model's doorbell: {@code kill(-pgid, SIGUSR1)} through jnr-posix to the supervisor's
 * process group. Receipt is {@link Signals#onUsr1(Bell)}.
 *
 * <p>Every process in the group must either handle SIGUSR1 or ignore it (the default action kills):
 * the supervisor sets SIG_IGN before it spawns anything, so workers inherit the ignore until they
 * install their handler.
 *
 * <p>With a {@link RingRoster}, a ring for a channel goes only to the workers listening for it (and
 * to the ringer itself), one {@code kill(pid, SIGUSR1)} each, after checking that the pid is still
 * in the group. It falls back to the whole group when the roster overflowed, or when more than half
 * of the listed workers would be rung anyway (one signal to the group is then cheaper). Thread-safe.
 */
public final class SignalDoorbell implements Doorbell {

    private static final Logger log = LoggerFactory.getLogger(SignalDoorbell.class);
    private static final int SIGUSR1 = jnr.constants.platform.Signal.SIGUSR1.intValue();

    private final int pgid;
    private final RingRoster roster;
    private final int self;
    /** This process's roster slot: {@link #NO_SLOT} until it first listens, -1 if none was free. */
    private int slot = NO_SLOT;
    private static final int NO_SLOT = Integer.MIN_VALUE;

    /**
     * @param pgid the process group to ring; must be &gt; 1 (kill(0, ...) and kill(-1, ...) would
     *             reach the caller's own group or every process it may signal)
     */
    public SignalDoorbell(int pgid) {
        this(pgid, null, 0);
    }

    /**
     * @param roster who listens for what (null: every ring goes to the group)
     * @param self   this process's pid, rung with every targeted ring
     */
    public SignalDoorbell(int pgid, RingRoster roster, int self) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a process group to ring: " + pgid);
        }
        this.pgid = pgid;
        this.roster = roster;
        this.self = self;
    }

    public int pgid() {
        return pgid;
    }

    @Override
    public void ring() {
        try {
            if (Posix.get().kill(-pgid, SIGUSR1) != 0) {
                log.debug("kill(-{}, SIGUSR1) failed: {}", pgid, Posix.describe(Posix.errno()));
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("kill(-{}, SIGUSR1) failed", pgid, e);
        }
    }

    @Override
    public void ring(String key) {
        // A worker without a slot listens for no channel, so no targeted ring is for it.
        if (key == null || roster == null || roster.overflowed()) {
            ring();
            return;
        }
        RingRoster.Listeners listeners = roster.listeners(key);
        if (2 * listeners.pids().length > listeners.held()) {
            ring();
            return;
        }
        boolean rangSelf = false;
        try {
            for (long p : listeners.pids()) {
                int pid = (int) p;
                if (pid == self) {
                    rangSelf = true;
                    signal(pid);
                } else if (Posix.get().getpgid(pid) == pgid) { // a slot left by a dead worker names no stranger
                    signal(pid);
                }
            }
            if (!rangSelf) {
                signal(self);
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("targeted ring for {} failed; ringing the group", key, e);
            ring();
        }
    }

    private static void signal(int pid) {
        if (Posix.get().kill(pid, SIGUSR1) != 0) {
            log.debug("kill({}, SIGUSR1) failed: {}", pid, Posix.describe(Posix.errno()));
        }
    }

    @Override
    public void listen(String key) {
        int s = claimedSlot();
        if (s >= 0) {
            roster.listen(s, key);
        }
    }

    /**
     * This process's slot, claimed at its first listen; -1 without one. A process that listens
     * for nothing is rung for every channel until it does, through the group: it has no slot yet
     * so it cannot be missed.
     */
    private synchronized int claimedSlot() {
        if (roster == null) {
            return -1;
        }
        if (slot == NO_SLOT) {
            slot = roster.claim(self);
            if (slot < 0) {
                log.warn("the ring roster is full ({} slots): every ring now goes to every worker", roster.slots());
            }
        }
        return slot;
    }

    /** Gives this process's roster slot back (at exit). */
    public synchronized void releaseSlot() {
        if (roster != null && slot >= 0) {
            roster.release(slot, self);
            slot = -1;
        }
    }

    @Override
    public String toString() {
        return "SignalDoorbell[pgid=" + pgid + "]";
    }
}
