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
 * One reader's and writer's view of the append-only record log: the segments in
 * {@code $state_dir/log} ({@link LogSegments}), which read as one sequence of records whose ids are
 * their log offsets.
 *
 * Each instance owns its descriptors: one on the log's lock file, an O_WRONLY|O_APPEND|O_CLOEXEC
 * one on the active segment for appends, an O_RDONLY|O_CLOEXEC one on the segment its read cursor
 * is in, and the cursor itself. Appends take flock(LOCK_EX) on the lock file and write one whole
 * record to the active segment with one write(2); reads take flock(LOCK_SH) and pread from the
 * cursor to the end of the log. Never lseek+read on a shared descriptor.
 *
 * Not thread-safe: one owner (a session) serialises its calls. Different instances, in one process
 * or many, exclude each other correctly because flock belongs to the open file description.
 *
 * <h2>Segments</h2>
 * Before each append the writer fstat's its segment: if another writer has sealed it, it moves
 * to the newest; if it has reached the configured segment size, it rolls it (seal, then create
 * the successor at base + size). So a segment can exceed the size by one record. A reader that
 * reaches the end of a sealed segment goes on at the segment that starts there. Retention
 * ({@link LogRetention}) deletes old sealed segments; a reader whose cursor lies in a deleted
 * segment it has not opened goes on at the oldest remaining one, with a warning.
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
 * there until a later read (the supervisor's {@link LogRecovery} truncates torn tails at start);
 * at the end of a sealed segment, which can never grow, such a stretch is damage and skipped.
 *
 * <h2>Errors</h2>
 * Every failing system call becomes an IOException naming the call and the errno text.
 */
public final class MessageLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(MessageLog.class);

    /** Largest payload accepted by {@link #append}. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    /** Segment size when none is configured. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    /** Bytes of records gathered under one LOCK_SH before they are delivered unlocked. */
    static final int READ_BATCH = 256 * 1024;

    private final Path dir;
    private final String name;
    private final Durability durability;
    private final long segmentBytes;
    private final int pid;
    private int lockFd = -1;
    /** The segment appended to (-1: not opened yet) and its descriptor. */
    private long appendBase = -1;
    private int appendFd = -1;
    /** The segment the cursor is in (-1: none opened yet), its descriptor and scanner. */
    private long readBase = -1;
    private int readFd = -1;
    private RecordScanner scanner;
    /** The read segment's end as last seen under a lock (it only grows while it is active). */
    private long readEnd = -1;
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

    /** Set once this reader skipped records that log retention removed before it read them. */
    private boolean lostRecords;

    /** Where the last {@link #gather} stopped. */
    private long gatherEnd;

    private MessageLog(Path dir, Durability durability, long segmentBytes, int lockFd) {
        this.dir = dir;
        this.name = dir.toString();
        this.durability = durability;
        this.segmentBytes = segmentBytes;
        this.lockFd = lockFd;
        this.pid = ProcessGroup.pid();
        this.writeBuffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.BIG_ENDIAN);
    }

    /** Opens the log in directory {@code dir} with segments of {@link #DEFAULT_SEGMENT_BYTES}. */
    public static MessageLog open(Path dir, Durability durability) throws IOException {
        return open(dir, durability, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * Opens the log kept in directory {@code dir} (created 0700 if absent; its first segment is
     * created by the first append); the cursor starts at 0. The active segment is rolled once it
     * holds {@code segmentBytes}.
     */
    public static MessageLog open(Path dir, Durability durability, long segmentBytes) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(durability, "durability");
        if (segmentBytes <= 0) {
            throw new IllegalArgumentException("segment size " + segmentBytes);
        }
        return new MessageLog(dir, durability, segmentBytes, LogSegments.openLock(dir));
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

    /**
     * Whether the record at the cursor is still in the log: false when log retention has removed
     * its segment. When true, the segment is opened, so it stays readable by this instance even
     * if retention removes it afterwards.
     */
    public boolean reachable() throws IOException {
        ensureOpen();
        long[] bases = LogSegments.bases(dir);
        if (bases.length == 0) {
            return cursor == 0;
        }
        if (LogSegments.floorBase(bases, cursor) < 0) {
            return false;
        }
        try {
            return locateRead(cursor) == cursor;
        } catch (Posix.ErrnoException e) {
            return false; // removed between the listing and the open
        }
    }

    /**
     * Whether this reader has had to skip records because their segments were gone (removed by
     * log retention while it was not reading, or missing): what it folded from the log is then
     * incomplete.
     */
    public boolean lostRecords() {
        return lostRecords;
    }

    /** The offset just past the log's last byte: where the next record will go. */
    public long size() throws IOException {
        ensureOpen();
        long[] bases = LogSegments.bases(dir);
        if (bases.length == 0) {
            return 0;
        }
        long base = bases[bases.length - 1];
        return base + java.nio.file.Files.size(LogSegments.path(dir, base));
    }

    /**
     * Appends one record under LOCK_EX with a single write(2) (fdatasync first when ALWAYS) and
     * returns its offset. Does not move the read cursor: the record is delivered by a later read.
     * On a failed or short write (ENOSPC, EIO) the segment is truncated back to its size before
     * the write, still under the lock, and an IOException is thrown: nothing half-written remains.
     */
    public long append(byte[] payload) throws IOException {
        checkPayload(payload);
        notInsideAppendIf();
        ensureOpen();
        Posix.flock(lockFd, Posix.LOCK_EX, name);
        try {
            // Stamped under the lock, so times never go backwards in log order (clock steps aside).
            encode(payload);
            return appendLocked();
        } finally {
            unlock(lockFd);
        }
    }

    /**
     * Opens the segment appends go to now, under a brief LOCK_EX, instead of at the first append:
     * for a process that opens the log long before it writes (an idle fork worker), so that its
     * first append, a client's registration, does not list the log's directory and open files
     * while it holds the lock and its client waits. Appends stay correct if the segment is sealed
     * or removed in the meantime: each one checks, under the lock, where the log ends.
     */
    public void prepareAppend() throws IOException {
        notInsideAppendIf();
        ensureOpen();
        Posix.flock(lockFd, Posix.LOCK_EX, name);
        try {
            activeSize();
        } finally {
            unlock(lockFd);
        }
    }

    /**
     * Seals the active segment if it holds any record, so that the next append begins a new one.
     * The supervisor does this at start: each run of the daemon begins its own segment, so
     * retention can remove an earlier run's records without touching this one's.
     */
    public void roll() throws IOException {
        notInsideAppendIf();
        ensureOpen();
        Posix.flock(lockFd, Posix.LOCK_EX, name);
        try {
            long size = activeSize();
            if (size > 0) {
                int next = LogSegments.roll(dir, appendFd, appendBase, size, durability);
                Posix.close(appendFd);
                appendFd = next;
                appendBase += size;
            }
        } finally {
            unlock(lockFd);
        }
    }

    /**
     * Check-and-append. Under LOCK_EX: reads every whole record from the cursor to the end of the
     * log (pread, without LOCK_SH: the exclusive lock already excludes writers), passes each to
     * {@code seen} in order and advances the cursor past them; then calls {@code decide}; if it
     * returns a payload, appends it (as {@link #append}) and returns its offset. The cursor is left
     * just before the appended record, so the next {@link #readNew} delivers it. Returns empty when
     * decide returned null.
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
        Posix.flock(lockFd, Posix.LOCK_EX, name);
        INSIDE_APPEND_IF.set(this);
        try {
            // Under LOCK_EX nothing else writes, so seen runs under the lock (the fold must match
            // the decision); batches only bound memory.
            while (true) {
                List<LogEntry> batch = new ArrayList<>();
                boolean more = gather(READ_BATCH, batch);
                for (LogEntry e : batch) {
                    cursor = nextOffset(e);
                    seen.accept(e);
                }
                cursor = Math.max(cursor, gatherEnd);
                if (!more) {
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
            unlock(lockFd);
        }
    }

    /**
     * Under LOCK_SH, preads from the cursor to the end of the log and passes every whole record to
     * {@code sink} in log order, advancing the cursor past each. A corrupt record (bad checksum,
     * impossible length) followed by valid ones is skipped and reported (log warning with its
     * offset); an incomplete record at the end of the log is left for a later read.
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
            boolean more;
            Posix.flock(lockFd, Posix.LOCK_SH, name);
            try {
                more = gather(READ_BATCH, batch);
            } finally {
                unlock(lockFd);
            }
            long end = gatherEnd;
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
            if (!more) {
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
     * the budget. At the start of a segment the scan goes on at the end of the one before it. It
     * stops at the start of the oldest segment, at the byte budget, or with {@code limit} matches.
     * {@code before} beyond the end is taken as the end. {@code wanted} runs under LOCK_SH: keep it
     * cheap.
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
        Posix.flock(lockFd, Posix.LOCK_SH, name);
        try {
            long[] bases = LogSegments.bases(dir);
            long base = LogSegments.floorBase(bases, before - 1);
            long pos = before;
            long spent = 0;
            while (base >= 0 && found.size() < limit && spent < maxBytes) {
                if (base == readBase && readFd >= 0) {
                    // the segment this reader is in (the usual case: history just before new records)
                    scanner.invalidate();
                    long eof = base + Posix.size(readFd, name);
                    pos = Math.min(pos, eof);
                    spent = scanBack(scanner, base, pos, eof, limit, wanted, maxBytes, spent, found);
                } else {
                    Path file = LogSegments.path(dir, base);
                    int fd;
                    try {
                        fd = Posix.open(file.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
                    } catch (IOException e) {
                        if (java.nio.file.Files.exists(file)) {
                            throw e; // not a removal: EMFILE, EACCES... say so
                        }
                        break; // deleted by retention since the listing: the log starts later now
                    }
                    try {
                        long eof = base + Posix.size(fd, file);
                        pos = Math.min(pos, eof);
                        spent = scanBack(new RecordScanner(fd, file, base), base, pos, eof, limit, wanted, maxBytes,
                                spent, found);
                    } finally {
                        Posix.close(fd);
                    }
                }
                pos = base;
                base = LogSegments.floorBase(bases, base - 1);
            }
        } finally {
            unlock(lockFd);
        }
        return new ArrayList<>(found);
    }

    /** readBackward within one segment [base, eof) from pos; returns the bytes spent so far. */
    private long scanBack(RecordScanner seg, long base, long pos, long eof, int limit, Predicate<LogEntry> wanted,
                          long maxBytes, long spent, ArrayDeque<LogEntry> found) throws IOException {
        while (pos > base && found.size() < limit) {
            String damage = null;
            int total = 0;
            if (pos - base < Records.OVERHEAD) {
                damage = (pos - base) + " bytes cannot be a record";
            } else {
                total = seg.intAt(pos - 4, eof);
                if (total < Records.OVERHEAD || total > Records.MAX_RECORD || total > pos - base) {
                    damage = "trailer length " + Integer.toUnsignedString(total) + " is impossible";
                } else {
                    RecordScanner.Parse p = seg.parseAt(pos - total, pos);
                    if (p.kind() != RecordScanner.Kind.VALID || p.length() != total) {
                        damage = p.reason() == null ? "length mismatch" : p.reason();
                    } else if (spent + total > maxBytes) {
                        return maxBytes; // budget spent
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
            long floor = Math.max(base, pos - (maxBytes - spent));
            long previous = seg.findPreviousValid(pos, floor);
            long resume = previous < 0 ? floor : previous + seg.parseAt(previous, pos).length();
            log.warn("{}: history scan skipping {} damaged bytes at offset {} ({}){}", name, pos - resume,
                    resume, damage, previous < 0 && floor > base ? "; no valid record before them within the budget" : "");
            spent += pos - resume;
            if (resume >= pos) {
                return maxBytes; // cannot make progress: give up the scan
            }
            pos = resume;
        }
        return spent;
    }

    /**
     * fdatasync of the active segment (for the INTERVAL policy's periodic sync). It opens the
     * newest segment afresh, whoever rolled to it, and touches none of this instance's state, so
     * a sync thread may call it while the instance's owner appends (the roller synced the sealed
     * segment before sealing it).
     */
    public void sync() throws IOException {
        ensureOpen();
        Path newest = LogSegments.active(dir);
        if (newest == null) {
            return;
        }
        int fd = Posix.open(newest.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        try {
            Posix.fdatasync(fd, newest);
        } finally {
            Posix.close(fd);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (int fd : new int[] {appendFd, readFd, lockFd}) {
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
        lockFd = -1;
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

    /**
     * Makes {@code base}, or the first unsealed segment from it on, the segment appended to
     * (opening or creating it). Caller holds LOCK_EX.
     */
    private void switchAppend(long base) throws IOException {
        base = LogSegments.appendable(dir, base);
        int fd = LogSegments.openForAppend(dir, base, durability);
        if (appendFd >= 0) {
            Posix.close(appendFd);
        }
        appendFd = fd;
        appendBase = base;
    }

    /**
     * Under LOCK_EX: the active segment's size, after moving to the newest segment if this one was
     * sealed by someone else, or rolling it if it is full.
     */
    private long activeSize() throws IOException {
        if (appendFd < 0) {
            long[] bases = LogSegments.bases(dir);
            switchAppend(bases.length == 0 ? 0 : bases[bases.length - 1]);
        }
        while (true) {
            jnr.posix.FileStat st = Posix.fstat(appendFd, name);
            long size = st.st_size();
            if (LogSegments.sealed(st)) {
                long[] bases = LogSegments.bases(dir);
                long newest = bases.length == 0 ? -1 : bases[bases.length - 1];
                // Sealed and no successor: its roller died between the seal and the create.
                switchAppend(newest > appendBase ? newest : appendBase + size);
                continue;
            }
            if (size >= segmentBytes) {
                int next = LogSegments.roll(dir, appendFd, appendBase, size, durability);
                Posix.close(appendFd);
                appendFd = next;
                appendBase += size;
                continue;
            }
            return size;
        }
    }

    /** Writes the encoded record; the caller holds LOCK_EX on the lock file. */
    private long appendLocked() throws IOException {
        long before = activeSize();
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
        long at = appendBase + before;
        if (n != total) {
            IOException failure = n < 0
                    ? Posix.error("write", name + ", " + total + " bytes at " + at, errno)
                    : new IOException("write(" + name + "): short write of " + n + " of " + total
                            + " bytes at " + at + " (file size limit or disk full)");
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
        return at;
    }

    private void rollBack(long before, IOException failure) {
        try {
            Posix.ftruncate(appendFd, before, name);
        } catch (IOException e) {
            failure.addSuppressed(e);
            log.error("{}: could not truncate back to {} after a failed append; a torn record may remain",
                    name, appendBase + before, e);
        }
    }

    /**
     * Makes the read descriptor the segment holding {@code pos} and returns where reading goes on:
     * {@code pos} itself, or the start of the oldest segment when {@code pos} lies before it
     * (retention deleted what was there), or -1 when the log has no segment yet.
     */
    private long locateRead(long pos) throws IOException {
        if (readFd >= 0 && readBase <= pos && pos <= readEnd) {
            return pos; // gather checks the segment's end and seal under the lock, and moves on from there
        }
        long[] bases = LogSegments.bases(dir);
        if (bases.length == 0) {
            return -1;
        }
        long base = LogSegments.floorBase(bases, pos);
        if (base < 0) {
            base = bases[0];
            log.warn("{}: records before offset {} were removed by log retention; reading on from there", name, base);
            pos = base;
            lostRecords = true;
        }
        if (base != readBase || readFd < 0) {
            Path file = LogSegments.path(dir, base);
            int fd = Posix.open(file.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
            if (readFd >= 0) {
                Posix.close(readFd);
            }
            readFd = fd;
            readBase = base;
            readEnd = base; // not known yet: the next gather's fstat tells
            scanner = new RecordScanner(fd, file, base);
        }
        return pos;
    }

    /**
     * Parses records from the cursor on (under a lock the caller holds), crossing from each sealed
     * segment into the next, into {@code out}, at most about {@code budget} bytes; leaves the
     * offset where reading stopped in {@link #gatherEnd} (after the last record gathered, after
     * skipped damage, or at an incomplete tail; the caller moves the cursor) and returns whether the budget stopped it before the end of the log.
     */
    private boolean gather(long budget, List<LogEntry> out) throws IOException {
        long pos = cursor;
        long bytes = 0;
        boolean relocated = false;
        while (true) {
            pos = locateRead(pos);
            if (pos < 0) {
                gatherEnd = cursor;
                return false; // no segment yet
            }
            jnr.posix.FileStat st = Posix.fstat(readFd, name);
            long eof = readBase + st.st_size();
            readEnd = eof;
            if (pos > eof) {
                long following = relocated && LogSegments.sealed(st)
                        ? LogSegments.nextBase(LogSegments.bases(dir), readBase) : -1;
                if (following > pos) {
                    // The cursor lies where segments are missing, after this sealed one: go on at
                    // the next segment, as a reader coming from this one's end does.
                    lostRecords = true;
                    log.warn("{}: segments missing between offsets {} and {}; reading on from {}", name, eof,
                            following, following);
                    pos = following;
                    readEnd = -1;
                    relocated = false;
                    continue;
                }
                if (relocated) {
                    gatherEnd = pos; // beyond the end of the log: nothing to read yet
                    return false;
                }
                relocated = true;
                continue; // the cursor was moved beyond this segment: locateRead finds its own
            }
            boolean sealed = LogSegments.sealed(st);
            scanner.invalidate(); // only bytes read under the current lock are trusted
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
                if (next < 0 && sealed) {
                    next = eof; // a sealed segment never grows: its incomplete end is damage
                }
                if (next < 0) {
                    stuckAt = pos;
                    stuckSearchedTo = eof;
                    gatherEnd = pos;
                    return false;
                }
                log.warn("{}: skipping {} damaged bytes at offset {} ({}); next valid record at {}",
                        LogSegments.path(dir, readBase), next - pos, pos, p.reason(), next);
                stuckAt = -1;
                pos = next;
            }
            gatherEnd = pos;
            if (pos < eof) {
                return true; // budget reached
            }
            if (!sealed) {
                return false; // the end of the log
            }
            // The end of a sealed segment: the next one starts here (or later, if one is missing).
            long[] bases = LogSegments.bases(dir);
            long following = LogSegments.nextBase(bases, readBase);
            if (following < 0) {
                return false; // its roller died before creating the successor: the next writer will
            }
            if (following != eof) {
                lostRecords = true;
                log.warn("{}: segments missing between offsets {} and {}; reading on from {}", name, eof,
                        following, following);
            }
            pos = following;
            readEnd = -1; // past this segment: locateRead opens the next one
            if (bytes >= budget) {
                gatherEnd = pos;
                return true;
            }
        }
    }
}
