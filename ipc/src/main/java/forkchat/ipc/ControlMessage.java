package forkchat.ipc;

/**
 * One line received on a handoff connection and the descriptor that travelled with it, if any.
 *
 * @param line the line without its trailing newline
 * @param fd   a descriptor received with SCM_RIGHTS together with this line, or -1
 */
public record ControlMessage(String line, int fd) {
    public boolean hasFd() {
        return fd >= 0;
    }
}
