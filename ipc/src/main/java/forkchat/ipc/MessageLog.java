package forkchat.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One reader's and writer's view of the append-only record log ($state_dir/messages.log).
 * CONTRACT ONLY: implemented by the ipc work.
 *
 * Each instance owns two descriptors: an O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC one for appends and an
 * O_RDONLY|O_CLOEXEC one for reads, plus its own read cursor. Appends take flock(LOCK_EX) on the
 * append descriptor and write one whole record with one write(2); reads take flock(LOCK_SH) on the
 * read descriptor and pread from the cursor to EOF. Never lseek+read on a shared descriptor.
 *
 * Not thread-safe: one owner (a session) serialises its calls. Different instances, in one process
 * or many, exclude each other correctly because flock belongs to the open file description.
 */
public final class MessageLog implements Closeable {

    /** Largest payload accepted by {@link #append}. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    private MessageLog() {
    }

    /** Opens (creating if absent, mode 0600) the log at {@code file}; the cursor starts at 0. */
    public static MessageLog open(Path file, Durability durability) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** Offset of the next record this reader will deliver. */
    public long cursor() {
        throw new UnsupportedOperationException("contract");
    }

    /** Moves the read cursor (to a record boundary the caller knows, e.g. a server-start record). */
    public void seek(long offset) {
        throw new UnsupportedOperationException("contract");
    }

    /** Current size of the log file in bytes. */
    public long size() throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /**
     * Appends one record under LOCK_EX with a single write(2) (fdatasync first when ALWAYS) and
     * returns its offset. Does not move the read cursor: the record is delivered by a later read.
     * On a failed or short write (ENOSPC, EIO) the file is truncated back to its size before the
     * write, still under the lock, and an IOException is thrown: nothing half-written remains.
     */
    public long append(byte[] payload) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /**
     * Check-and-append. Under LOCK_EX on the append descriptor: reads every whole record from the
     * cursor to EOF (pread on the read descriptor, without LOCK_SH: the exclusive lock already
     * excludes writers), passes each to {@code seen} in order and advances the cursor past them;
     * then calls {@code decide}; if it returns a payload, appends it (as {@link #append}) and
     * returns its offset. The cursor is left just before the appended record, so the next
     * {@link #readNew} delivers it. Returns empty when decide returned null.
     */
    public OptionalLong appendIf(Consumer<LogEntry> seen, Supplier<byte[]> decide) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /**
     * Under LOCK_SH on the read descriptor, preads from the cursor to EOF and passes every whole
     * record to {@code sink} in log order, advancing the cursor past each. A corrupt record
     * (bad checksum, impossible length) followed by valid ones is skipped and reported (log
     * warning with its offset); an incomplete record at EOF is left for a later read.
     * Returns the number of records delivered.
     */
    public int readNew(Consumer<LogEntry> sink) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /**
     * Scans backwards from {@code before} (a record boundary, typically the offset of a record
     * being delivered) and returns, oldest first, at most {@code limit} records that match
     * {@code wanted}, reading at most {@code maxBytes} of the log. Takes LOCK_SH.
     */
    public List<LogEntry> readBackward(long before, int limit, Predicate<LogEntry> wanted, long maxBytes)
            throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** fdatasync of the log file (for the INTERVAL policy's periodic sync). */
    public void sync() throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("contract");
    }
}
