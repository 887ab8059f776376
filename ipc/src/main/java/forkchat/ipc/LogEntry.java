package forkchat.ipc;

/**
 * One whole record read from the {@link MessageLog}.
 *
 * @param offset     byte offset of the record's first byte in the log: its id
 * @param timeMillis wall-clock time the writer stamped it with (ms since the epoch)
 * @param pid        pid of the process that wrote it
 * @param payload    the opaque payload bytes (the log knows nothing of what they mean)
 */
public record LogEntry(long offset, long timeMillis, int pid, byte[] payload) {
}
