package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One reader's and writer's view of the append-only record log ($state_dir/messages.log).
 *
 * Each instance owns two descriptors: an O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC one for appends and an
 * O_RDONLY|O_CLOEXEC one for reads, plus its own read cursor. Appends take flock(LOCK_EX) on the
 * append descriptor and write one whole record with one write(2); reads take flock(LOCK_SH) on the
 * read descriptor and pread from the cursor to EOF. Never lseek+read on a shared descriptor.
 *
 * Not thread-safe: one owner (a session) serialises its calls. Different instances, in one process
 * or many, exclude each other correctly because flock belongs to the open file description.
 *
 * <h2>Record format (format 1)</h2>
 * A record is self-delimiting in both directions and checksummed. All integers are big-endian;
 * a record's id is the byte offset of its first byte.
 * <pre>
 *  offset      size  field
 *  0           4     magic 0x464B4331 ("FKC1")
 *  4           4     payload length N, 0 &lt;= N &lt;= {@link #MAX_PAYLOAD}
 *  8           8     time, ms since the epoch (the writer's clock)
 *  16          4     pid of the writing process
 *  20          N     payload (opaque)
 *  20+N        4     CRC32C (Castagnoli) over bytes [0, 20+N): header and payload
 *  24+N        4     total record length, 28+N (lets a reader walk the log backwards)
 * </pre>
 * A record is valid when the magic matches, N is in range, the whole record is present, the
 * trailing length equals 28+N and the CRC matches. A record that starts with a good header but
 * reaches past EOF is incomplete (a torn tail). Anything else is damage.
 *
 * <h2>Reading</h2>
 * {@link #readNew} gathers records under LOCK_SH in batches of about {@value #READ_BATCH} bytes
 * and delivers each batch after releasing the lock (records are immutable once written), so a slow
 * sink never holds writers off. When the bytes at the cursor are not a valid record, the reader
 * searches forward for the next offset where a whole valid record parses; if there is one, the
 * stretch in between is damage: it is logged (warning, with offset and length) and skipped. If
 * there is none before EOF, the stretch is treated as an incomplete tail and the reader stops
 * there until a later read (the supervisor's {@link LogRecovery} truncates torn tails at start).
 *
 * <h2>Errors</h2>
 * Every failing system call becomes an IOException naming the call and the errno text.
 */
public final class MessageLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(MessageLog.class);

    /** Largest payload accepted by {@link #append}. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    /** Bytes of records gathered under one LOCK_SH before they are delivered unlocked. */
    static final int READ_BATCH = 256 * 1024;

    private final String name;
    private final Durability durability;
    private final int pid;
    private int appendFd = -1;
    private int readFd = -1;
    private RecordScanner scanner;
    private ByteBuffer writeBuffer;
    private long cursor;
    private boolean closed;

    /**
     * Set while this thread runs appendIf's callbacks under LOCK_EX. Any log call from there
     * would block on our own lock (LOCK_SH on another open file description) or, on the same
     * instance, release it early: such calls are refused instead.
     */
    private static final ThreadLocal<MessageLog> INSIDE_APPEND_IF = new ThreadLocal<>();

    /** Where the last unsuccessful resync started and the EOF it searched to (to not rescan). */
    private long stuckAt = -1;
    private long stuckSearchedTo = -1;

    private MessageLog(String name, Durability durability, int appendFd, int readFd) {
        this.name = name;
        this.durability = durability;
        this.appendFd = appendFd;
        this.readFd = readFd;
        this.pid = ProcessGroup.pid();
        this.scanner = new RecordScanner(readFd, name);
        this.writeBuffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.BIG_ENDIAN);
    }

    /** Opens (creating if absent, mode 0600) the log at {@code file}; the cursor starts at 0. */
    public static MessageLog open(Path file, Durability durability) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(durability, "durability");
        String path = file.toString();
        int w = Posix.open(path, Posix.O_WRONLY | Posix.O_APPEND | Posix.O_CREAT | Posix.O_CLOEXEC, 0600);
        int r;
        try {
            r = Posix.open(path, Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        } catch (IOException e) {
            Posix.close(w);
            throw e;
        }
        return new MessageLog(path, durability, w, r);
    }

    /** Offset of the next record this reader will deliver. */
    public long cursor() {
        return cursor;
    }

    /** Moves the read cursor (to a record boundary the caller knows, e.g. a server-start record). */
    public void seek(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        cursor = offset;
    }

    /** Current size of the log file in bytes. */
    public long size() throws IOException {
        ensureOpen();
        return Posix.size(readFd, name);
    }

    /**
     * Appends one record under LOCK_EX with a single write(2) (fdatasync first when ALWAYS) and
     * returns its offset. Does not move the read cursor: the record is delivered by a later read.
     * On a failed or short write (ENOSPC, EIO) the file is truncated back to its size before the
     * write, still under the lock, and an IOException is thrown: nothing half-written remains.
     */
    public long append(byte[] payload) throws IOException {
        checkPayload(payload);
        notInsideAppendIf();
        ensureOpen();
        Posix.flock(appendFd, Posix.LOCK_EX, name);
        try {
            // Stamped under the lock, so times never go backwards in log order (clock steps aside).
            encode(payload);
            return appendLocked();
        } finally {
            unlock(appendFd);
        }
    }

    /**
     * Check-and-append. Under LOCK_EX on the append descriptor: reads every whole record from the
     * cursor to EOF (pread on the read descriptor, without LOCK_SH: the exclusive lock already
     * excludes writers), passes each to {@code seen} in order and advances the cursor past them;
     * then calls {@code decide}; if it returns a payload, appends it (as {@link #append}) and
     * returns its offset. The cursor is left just before the appended record, so the next
     * {@link #readNew} delivers it. Returns empty when decide returned null.
     *
     * <p>{@code seen} and {@code decide} run while every other writer is held off: keep them short,
     * and do not call back into any MessageLog from them on this thread (append, appendIf, readNew
     * and readBackward throw IllegalStateException there: they would block on this lock or
     * release it early).
     * A payload over {@link #MAX_PAYLOAD} from {@code decide} throws IllegalArgumentException
     * (nothing appended).
     */
    public OptionalLong appendIf(Consumer<LogEntry> seen, Supplier<byte[]> decide) throws IOException {
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(decide, "decide");
        notInsideAppendIf();
        ensureOpen();
        Posix.flock(appendFd, Posix.LOCK_EX, name);
        INSIDE_APPEND_IF.set(this);
        try {
            long eof = Posix.size(appendFd, name);
            // Under LOCK_EX nothing else writes, so seen runs under the lock (the fold must match
            // the decision); batches only bound memory.
            while (true) {
                List<LogEntry> batch = new ArrayList<>();
                long end = gather(eof, READ_BATCH, batch);
                for (LogEntry e : batch) {
                    cursor = nextOffset(e);
                    seen.accept(e);
                }
                cursor = Math.max(cursor, end);
                if (batch.isEmpty() || end >= eof) {
                    break;
                }
            }
            byte[] payload = decide.get();
            if (payload == null) {
                return OptionalLong.empty();
            }
            checkPayload(payload);
            encode(payload);
            return OptionalLong.of(appendLocked());
        } finally {
            INSIDE_APPEND_IF.remove();
            unlock(appendFd);
        }
    }

    /**
     * Under LOCK_SH on the read descriptor, preads from the cursor to EOF and passes every whole
     * record to {@code sink} in log order, advancing the cursor past each. A corrupt record
     * (bad checksum, impossible length) followed by valid ones is skipped and reported (log
     * warning with its offset); an incomplete record at EOF is left for a later read.
     * Returns the number of records delivered.
     *
     * <p>Records are gathered under the lock in batches (about {@value #READ_BATCH} bytes) and
     * handed to {@code sink} after it is released: a slow sink (a client socket) never holds
     * writers off, and a sink may append. The cursor moves past a record before {@code sink} sees
     * it, so a sink that throws is not handed the same record again; a sink that calls
     * {@link #seek} ends this read at the new cursor.
     */
    public int readNew(Consumer<LogEntry> sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        notInsideAppendIf();
        ensureOpen();
        int delivered = 0;
        while (true) {
            List<LogEntry> batch = new ArrayList<>();
            long end;
            long eof;
            Posix.flock(readFd, Posix.LOCK_SH, name);
            try {
                eof = Posix.size(readFd, name);
                end = gather(eof, READ_BATCH, batch);
            } finally {
                unlock(readFd);
            }
            for (LogEntry e : batch) {
                long next = nextOffset(e);
                cursor = next;
                delivered++;
                sink.accept(e);
                if (cursor != next) {
                    return delivered; // the sink moved the cursor (seek): honour it, stop here
                }
            }
            cursor = Math.max(cursor, end);
            if (batch.isEmpty() || end >= eof) {
                return delivered;
            }
        }
    }

    /**
     * Scans backwards from {@code before} (a record boundary, typically the offset of a record
     * being delivered) and returns, oldest first, at most {@code limit} records that match
     * {@code wanted}, reading at most {@code maxBytes} of the log. Takes LOCK_SH.
     *
     * <p>Each record is found through the length in its trailer and verified whole (magic, CRC,
     * both lengths). Where that fails, the bytes back to the end of the last whole valid record
     * before them are damage: skipped (never passed to {@code wanted}) and reported (a warning with
     * offset and length), and the scan goes on from that record; the skipped bytes count against
     * the budget. The scan stops at offset 0, at the byte budget, or with {@code limit} matches. {@code before} beyond EOF
     * is taken as EOF. {@code wanted} runs under LOCK_SH: keep it cheap.
     */
    public List<LogEntry> readBackward(long before, int limit, Predicate<LogEntry> wanted, long maxBytes)
            throws IOException {
        Objects.requireNonNull(wanted, "wanted");
        if (before < 0) {
            throw new IllegalArgumentException("negative offset " + before);
        }
        notInsideAppendIf();
        ensureOpen();
        ArrayDeque<LogEntry> found = new ArrayDeque<>();
        if (limit <= 0 || maxBytes <= 0) {
            return List.of();
        }
        Posix.flock(readFd, Posix.LOCK_SH, name);
        try {
            long eof = Posix.size(readFd, name);
            scanner.invalidate();
            long pos = Math.min(before, eof);
            long spent = 0;
            while (pos > 0 && found.size() < limit) {
                String damage = null;
                int total = 0;
                if (pos < Records.OVERHEAD) {
                    damage = pos + " bytes cannot be a record";
                } else {
                    total = scanner.intAt(pos - 4, eof);
                    if (total < Records.OVERHEAD || total > Records.MAX_RECORD || total > pos) {
                        damage = "trailer length " + Integer.toUnsignedString(total) + " is impossible";
                    } else {
                        RecordScanner.Parse p = scanner.parseAt(pos - total, pos);
                        if (p.kind() != RecordScanner.Kind.VALID || p.length() != total) {
                            damage = p.reason() == null ? "length mismatch" : p.reason();
                        } else if (spent + total > maxBytes) {
                            break;
                        } else {
                            spent += total;
                            if (wanted.test(p.entry())) {
                                found.addFirst(p.entry());
                            }
                            pos -= total;
                            continue;
                        }
                    }
                }
                // Damage just before pos: skip back to the last whole record before it, within
                // the byte budget, as the forward reader skips forward (never served, reported).
                long floor = Math.max(0, pos - (maxBytes - spent));
                long previous = scanner.findPreviousValid(pos, floor);
                long resume = previous < 0 ? floor
                        : previous + scanner.parseAt(previous, pos).length();
                log.warn("{}: history scan skipping {} damaged bytes at offset {} ({}){}", name, pos - resume,
                        resume, damage, previous < 0 ? "; no valid record before them within the budget" : "");
                if (previous < 0 || resume >= pos) {
                    break;
                }
                spent += pos - resume;
                pos = resume;
            }
        } finally {
            unlock(readFd);
        }
        return new ArrayList<>(found);
    }

    /** fdatasync of the log file (for the INTERVAL policy's periodic sync). */
    public void sync() throws IOException {
        ensureOpen();
        Posix.fdatasync(appendFd, name);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (int fd : new int[] {appendFd, readFd}) {
            if (fd >= 0 && Posix.close(fd) != 0) {
                IOException e = Posix.error("close", name);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        appendFd = -1;
        readFd = -1;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "MessageLog[" + name + ", cursor=" + cursor + "]";
    }

    // ---- internals ------------------------------------------------------------------------------

    private static long nextOffset(LogEntry e) {
        return e.offset() + Records.recordLength(e.payload().length);
    }

    private static void checkPayload(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "payload of " + payload.length + " bytes exceeds MAX_PAYLOAD " + MAX_PAYLOAD);
        }
    }

    private static void notInsideAppendIf() {
        MessageLog holder = INSIDE_APPEND_IF.get();
        if (holder != null) {
            throw new IllegalStateException("called from inside appendIf of " + holder
                    + " (this thread holds its LOCK_EX): that would deadlock or release the lock early");
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("message log " + name + " is closed");
        }
    }

    private void unlock(int fd) {
        String err = Posix.unlockQuietly(fd);
        if (err != null) {
            log.error("{}: flock(LOCK_UN) failed: {}", name, err);
        }
    }

    private void encode(byte[] payload) {
        int total = Records.recordLength(payload.length);
        if (writeBuffer.capacity() < total) {
            int cap = Math.min(Records.MAX_RECORD, Math.max(total, writeBuffer.capacity() * 2));
            writeBuffer = ByteBuffer.allocateDirect(cap).order(ByteOrder.BIG_ENDIAN);
        }
        Records.encode(writeBuffer, System.currentTimeMillis(), pid, payload);
    }

    /** Writes the encoded record; the caller holds LOCK_EX on the append descriptor. */
    private long appendLocked() throws IOException {
        long before = Posix.size(appendFd, name);
        int total = writeBuffer.remaining();
        long n;
        int errno = 0;
        while (true) {
            n = Posix.get().write(appendFd, writeBuffer, total);
            if (n >= 0) {
                break;
            }
            errno = Posix.errno();
            if (errno != Posix.EINTR) {
                break;
            }
        }
        if (n != total) {
            IOException failure = n < 0
                    ? Posix.error("write", name + ", " + total + " bytes at " + before, errno)
                    : new IOException("write(" + name + "): short write of " + n + " of " + total
                            + " bytes at " + before + " (file size limit or disk full)");
            rollBack(before, failure);
            throw failure;
        }
        if (durability == Durability.ALWAYS) {
            try {
                Posix.fdatasync(appendFd, name);
            } catch (IOException e) {
                rollBack(before, e);
                throw e;
            }
        }
        return before;
    }

    private void rollBack(long before, IOException failure) {
        try {
            Posix.ftruncate(appendFd, before, name);
        } catch (IOException e) {
            failure.addSuppressed(e);
            log.error("{}: could not truncate back to {} after a failed append; a torn record may remain",
                    name, before, e);
        }
    }

    /**
     * Parses records from the cursor toward {@code eof} (under a lock the caller holds) into
     * {@code out}, at most about {@code budget} bytes. Skips damage that is followed by a valid
     * record (with a warning). Returns the offset where reading stopped: after the last record
     * gathered, or after skipped damage, or at an incomplete tail.
     */
    private long gather(long eof, long budget, List<LogEntry> out) throws IOException {
        scanner.invalidate(); // only bytes read under the current lock are trusted
        long pos = cursor;
        long bytes = 0;
        while (pos < eof && bytes < budget) {
            RecordScanner.Parse p = scanner.parseAt(pos, eof);
            if (p.kind() == RecordScanner.Kind.VALID) {
                out.add(p.entry());
                pos += p.length();
                bytes += p.length();
                continue;
            }
            long from = pos + 1;
            if (pos == stuckAt && stuckSearchedTo > from) {
                // Candidates that started more than one maximal record before the previous search's
                // EOF were already decided then and the bytes have not changed since.
                from = Math.max(from, stuckSearchedTo - Records.MAX_RECORD);
            }
            long next = scanner.findNextValid(from, eof);
            if (next < 0) {
                stuckAt = pos;
                stuckSearchedTo = eof;
                break;
            }
            log.warn("{}: skipping {} damaged bytes at offset {} ({}); next valid record at {}",
                    name, next - pos, pos, p.reason(), next);
            stuckAt = -1;
            pos = next;
        }
        return pos;
    }
}
