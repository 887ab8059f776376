package forkchat.ipc;

/**
 * The fork model's doorbell: {@code kill(-pgid, SIGUSR1)} through jnr-posix to the supervisor's
 * process group. Receipt is {@link Signals#onUsr1(Bell)}.
 * CONTRACT ONLY: implemented by the ipc work.
 */
public final class SignalDoorbell implements Doorbell {

    public SignalDoorbell(int pgid) {
        throw new UnsupportedOperationException("contract");
    }

    @Override
    public void ring() {
        throw new UnsupportedOperationException("contract");
    }
}
