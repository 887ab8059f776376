package forkchat.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses records out of a log descriptor with pread(2) only, through a window buffer (direct,
 * grown up to one maximal record when a record needs it). It takes no lock: callers hold
 * LOCK_SH or LOCK_EX around everything they do with it, and pass the EOF they observed under
 * that lock.
 *
 * <p>Offsets are log offsets: the descriptor is one segment, whose first byte is at log offset
 * {@code base}; a pread at log offset {@code off} reads the file at {@code off - base}.
 */
final class RecordScanner {

    private static final int INITIAL_WINDOW = 32 * 1024;

    enum Kind { VALID, INCOMPLETE, CORRUPT }

    /** What is at one offset: a whole valid record, the start of an incomplete one, or damage. */
    record Parse(Kind kind, long offset, int length, LogEntry entry, String reason) {
        static Parse incomplete(long offset, String reason) {
            return new Parse(Kind.INCOMPLETE, offset, 0, null, reason);
        }

        static Parse corrupt(long offset, String reason) {
            return new Parse(Kind.CORRUPT, offset, 0, null, reason);
        }
    }

    private final int fd;
    private final Object name;
    private final long base;
    private ByteBuffer window;
    private long windowStart;
    private int windowLength;

    RecordScanner(int fd, Object name) {
        this(fd, name, 0);
    }

    RecordScanner(int fd, Object name, long base) {
        this.fd = fd;
        this.name = name;
        this.base = base;
        this.window = ByteBuffer.allocateDirect(INITIAL_WINDOW).order(ByteOrder.BIG_ENDIAN);
    }

    /** Forgets the cached bytes (after the file may have been truncated). */
    void invalidate() {
        windowStart = 0;
        windowLength = 0;
    }

    /**
     * Makes bytes [off, off+n) available in the window. The caller guarantees off+n &lt;= eof,
     * where eof is a size observed under the lock (the file does not shrink under it).
     */
    private int fill(long off, int n, long eof) throws IOException {
        if (off >= windowStart && off + n <= windowStart + windowLength) {
            return (int) (off - windowStart);
        }
        if (n > window.capacity()) {
            int cap = Math.max(n, Math.min(window.capacity() * 2, Records.MAX_RECORD));
            window = ByteBuffer.allocateDirect(cap).order(ByteOrder.BIG_ENDIAN);
        }
        int want = (int) Math.min(window.capacity(), eof - off);
        if (want < n) {
            throw new IllegalStateException("fill past eof");
        }
        windowLength = 0;
        windowStart = off;
        if (off < base) {
            throw new IllegalStateException("offset " + off + " is before this segment's base " + base);
        }
        int got = 0;
        while (got < n) {
            ByteBuffer dst = window.duplicate();
            dst.clear().position(got).limit(want);
            long r = Posix.get().pread(fd, dst, want - got, off + got - base);
            if (r < 0) {
                int e = Posix.errno();
                if (e == Posix.EINTR) {
                    continue;
                }
                throw Posix.error("pread", name + " at " + (off + got), e);
            }
            if (r == 0) {
                throw new IOException("pread(" + name + "): file shrank to " + (off + got - base)
                        + " while locked (expected at least " + (off + n) + " bytes)");
            }
            got += (int) r;
        }
        windowLength = got;
        return 0;
    }

    /**
     * What is at {@code off}, looking no further than {@code eof}. A record reaching past eof is
     * INCOMPLETE; a wrong magic, impossible length, bad CRC or wrong trailer is CORRUPT.
     */
    Parse parseAt(long off, long eof) throws IOException {
        long avail = eof - off;
        if (avail <= 0) {
            return Parse.incomplete(off, "at end of file");
        }
        if (avail < 4) {
            return Parse.incomplete(off, "only " + avail + " bytes");
        }
        int p = fill(off, (int) Math.min(avail, Records.HEADER), eof);
        int magic = window.getInt(p + Records.OFF_MAGIC);
        if (magic != Records.MAGIC) {
            return Parse.corrupt(off, String.format("bad magic 0x%08x", magic));
        }
        if (avail < Records.HEADER) {
            return Parse.incomplete(off, "header cut at " + avail + " bytes");
        }
        int len = window.getInt(p + Records.OFF_LENGTH);
        if (len < 0 || len > MessageLog.MAX_PAYLOAD) {
            return Parse.corrupt(off, "impossible payload length " + Integer.toUnsignedString(len));
        }
        int total = Records.recordLength(len);
        if (total > avail) {
            return Parse.incomplete(off, "record of " + total + " bytes cut at " + avail);
        }
        p = fill(off, total, eof);
        int storedCrc = window.getInt(p + Records.HEADER + len);
        int trailer = window.getInt(p + Records.HEADER + len + 4);
        if (trailer != total) {
            return Parse.corrupt(off, "trailer " + Integer.toUnsignedString(trailer) + " != length " + total);
        }
        int crc = Records.crc(window, p, Records.HEADER + len);
        if (crc != storedCrc) {
            return Parse.corrupt(off, String.format("CRC32C 0x%08x != stored 0x%08x", crc, storedCrc));
        }
        long time = window.getLong(p + Records.OFF_TIME);
        int pid = window.getInt(p + Records.OFF_PID);
        byte[] payload = new byte[len];
        window.get(p + Records.HEADER, payload);
        return new Parse(Kind.VALID, off, total, new LogEntry(off, time, pid, payload), null);
    }

    /**
     * The first offset in [from, eof) at which a whole valid record parses, or -1. Scans for the
     * magic and verifies each candidate completely.
     */
    long findNextValid(long from, long eof) throws IOException {
        long c = from;
        while (c + Records.OVERHEAD <= eof) {
            int chunk = (int) Math.min(window.capacity(), eof - c);
            int p = fill(c, Math.min(chunk, 4096), eof);
            int inWindow = windowLength - p;
            long candidate = -1;
            for (int i = 0; i + 4 <= inWindow; i++) {
                if (window.getInt(p + i) == Records.MAGIC) {
                    candidate = c + i;
                    break;
                }
            }
            if (candidate < 0) {
                // Next chunk overlaps by three bytes so a magic split across chunks is seen.
                c += Math.max(1, inWindow - 3);
                continue;
            }
            if (candidate + Records.OVERHEAD > eof) {
                return -1;
            }
            Parse r = parseAt(candidate, eof);
            if (r.kind() == Kind.VALID) {
                return candidate;
            }
            c = candidate + 1;
        }
        return -1;
    }

    /**
     * The start of the last whole valid record that ends at or before {@code before} and starts
     * at or after {@code floor}, or -1. Scans backwards for the magic and verifies each candidate
     * completely (a record reaching past {@code before} does not count). The caller guarantees
     * {@code before} &lt;= eof.
     */
    long findPreviousValid(long before, long floor) throws IOException {
        long end = before;
        while (end - floor >= Records.OVERHEAD) {
            long start = Math.max(floor, end - 4096);
            int p = fill(start, (int) (end - start), before);
            List<Long> candidates = new ArrayList<>();
            for (int i = (int) (end - start) - 4; i >= 0; i--) {
                if (window.getInt(p + i) == Records.MAGIC) {
                    candidates.add(start + i);
                }
            }
            for (long candidate : candidates) {
                if (candidate + Records.OVERHEAD <= before
                        && parseAt(candidate, before).kind() == Kind.VALID) {
                    return candidate;
                }
            }
            if (start == floor) {
                break;
            }
            end = start + 3; // overlap by three bytes so a magic split across chunks is seen
        }
        return -1;
    }

    /** The int at {@code off} (caller guarantees off+4 &lt;= eof). */
    int intAt(long off, long eof) throws IOException {
        int p = fill(off, 4, eof);
        return window.getInt(p);
    }
}
