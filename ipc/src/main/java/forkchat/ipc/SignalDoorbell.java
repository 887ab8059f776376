package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fork model's doorbell: {@code kill(-pgid, SIGUSR1)} through jnr-posix to the supervisor's
 * process group. Receipt is {@link Signals#onUsr1(Bell)}.
 *
 * <p>Every process in the group must either handle SIGUSR1 or ignore it (the default action kills):
 * the supervisor sets SIG_IGN before it spawns anything, so workers inherit the ignore until they
 * install their handler. Thread-safe and stateless apart from the group id.
 */
public final class SignalDoorbell implements Doorbell {

    private static final Logger log = LoggerFactory.getLogger(SignalDoorbell.class);
    private static final int SIGUSR1 = jnr.constants.platform.Signal.SIGUSR1.intValue();

    private final int pgid;

    /**
     * @param pgid the process group to ring; must be &gt; 1 (kill(0, ...) and kill(-1, ...) would
     *             reach the caller's own group or every process it may signal)
     */
    public SignalDoorbell(int pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a process group to ring: " + pgid);
        }
        this.pgid = pgid;
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
    public String toString() {
        return "SignalDoorbell[pgid=" + pgid + "]";
    }
}
