package forkchat.ipc;

/**
 * When an appended record reaches stable storage (the {@code fsync} setting). Whatever the
 * policy, a record is whole in the file (the page cache) before {@link MessageLog#append}
 * returns and before any reader can see it, so the death of a process never loses an
 * acknowledged record; the policy decides what a power loss or kernel crash can cost.
 */
public enum Durability {
    /**
     * fdatasync after every append, still under LOCK_EX, before the append returns and before any
     * reader (which needs LOCK_SH) can see the record: a power loss costs nothing acknowledged.
     */
    ALWAYS,
    /**
     * The supervisor fdatasyncs the log once a second (and at a graceful stop): a power loss costs
     * what was appended since the start of the last completed sync, about one second's worth.
     */
    INTERVAL,
    /**
     * Left to the kernel's writeback (Linux: pages dirty for 30 s are written at the flusher's next
     * 5 s wake-up): a power loss can cost about the last 35 s of records. A graceful stop syncs.
     */
    NEVER
}
