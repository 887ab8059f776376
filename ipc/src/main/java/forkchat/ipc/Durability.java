package forkchat.ipc;

/** When an appended record reaches stable storage (the {@code fsync} setting). */
public enum Durability {
    /** fdatasync after every append, before the lock is released and the append returns. */
    ALWAYS,
    /** The supervisor syncs the log once a second: a power loss costs at most the last second. */
    INTERVAL,
    /** Left to the kernel's writeback: a power loss can cost the last ~30 s of records. */
    NEVER
}
