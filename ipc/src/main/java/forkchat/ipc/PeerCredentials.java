package forkchat.ipc;

/** SO_PEERCRED of a Unix-domain connection, taken by the kernel at connect(2). */
public record PeerCredentials(int pid, int uid, int gid) {
}
