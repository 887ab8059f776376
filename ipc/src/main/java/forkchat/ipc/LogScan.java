package forkchat.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A walk over the whole log, segment by segment and record by record: every whole valid record,
 * every corrupt stretch that valid records follow (its offset, length and what is wrong with its
 * first bytes), a segment missing between two others, and a torn tail (an incomplete or invalid
 * stretch at the end of the newest segment that no valid record follows; at the end of a sealed
 * segment, which can never grow, such a stretch is corrupt).
 *
 * <p>{@link #read} is the administrator's view ({@code forkchatd log verify | dump}): read-only,
 * safe on the log of a running daemon. Under LOCK_SH on the log's lock file it lists the segments
 * and notes the newest one's size, then walks up to there in batches, each under its own LOCK_SH;
 * what a batch found is handed to the {@link Visitor} after the lock is released, so a slow
 * consumer (a pager) never holds the daemon's writers off. The bytes below a size observed under
 * LOCK_SH never change while the daemon runs (writers only append, and a failed append truncates
 * back to where it began, beyond that size), so the batches add up to one consistent picture of
 * the log as it was then. A "torn tail" in that picture is real: no writer was inside its
 * write(2) when the size was noted. A segment that retention deletes during the walk is passed
 * over. {@link #read} also takes a single segment file (or the single-file log of an older
 * version), walked as if it were the newest.
 *
 * <p>{@link LogRecovery} walks the newest segment the same way under its own LOCK_EX before it
 * truncates.
 */
public final class LogScan {

    /** Bytes of log parsed under one LOCK_SH in {@link #read}. */
    static final long BATCH_BYTES = 1L << 20;

    /** What the walk finds, in log order. Called without any lock held by {@link #read}. */
    public interface Visitor {
        void record(LogEntry entry);

        /** A corrupt stretch ({@code tail} false) or the torn tail ({@code tail} true, always last). */
        default void damage(LogRecovery.Damage damage, boolean tail) {
        }
    }

    /**
     * @param start     log offset of the first segment walked (above 0 once retention removed older ones)
     * @param end       log offset just past the last byte walked
     * @param segments  segment files walked
     * @param records   whole valid records
     * @param firstTime time stamp of the first valid record (ms since the epoch), or -1 if none
     * @param lastTime  time stamp of the last valid record, or -1 if none
     * @param validEnd  offset just after the last valid record
     * @param corrupt   corrupt stretches followed by valid records and missing segments (readers skip them)
     * @param tornTail  the stretch after the last valid record that is not a whole record, or null
     */
    public record Result(long start, long end, int segments, long records, long firstTime, long lastTime,
                         long validEnd, List<LogRecovery.Damage> corrupt, LogRecovery.Damage tornTail) {
        public boolean clean() {
            return corrupt.isEmpty() && tornTail == null;
        }

        /** Bytes of log walked. */
        public long size() {
            return end - start;
        }
    }

    private record Found(LogEntry entry, LogRecovery.Damage damage, boolean tail) {
    }

    private long start = -1;
    private long end;
    private int segments;
    private long records;
    private long firstTime = -1;
    private long lastTime = -1;
    private long validEnd;
    private final List<LogRecovery.Damage> corrupt = new ArrayList<>();
    private LogRecovery.Damage tornTail;
    /** Set when a listed segment was gone when the walk came to it (retention, oldest first). */
    private boolean removedDuringWalk;

    /** One segment's walk: [pos, eof) of the descriptor behind {@code scanner}. */
    private final class Segment {
        final RecordScanner scanner;
        final long eof;
        final boolean last;
        long pos;

        Segment(RecordScanner scanner, long base, long eof, boolean last) {
            this.scanner = scanner;
            this.pos = base;
            this.eof = eof;
            this.last = last;
        }

        boolean done() {
            return pos >= eof;
        }

        /** Parses about {@code budget} bytes from where the walk stands (and the resync after damage). */
        void step(long budget, List<Found> out) throws IOException {
            scanner.invalidate();
            long from = pos;
            while (pos < eof && pos - from < budget) {
                RecordScanner.Parse p = scanner.parseAt(pos, eof);
                if (p.kind() == RecordScanner.Kind.VALID) {
                    LogEntry e = p.entry();
                    records++;
                    if (firstTime < 0) {
                        firstTime = e.timeMillis();
                    }
                    lastTime = e.timeMillis();
                    pos += p.length();
                    validEnd = pos;
                    out.add(new Found(e, null, false));
                    continue;
                }
                long next = scanner.findNextValid(pos + 1, eof);
                if (next < 0 && last) {
                    tornTail = new LogRecovery.Damage(pos, eof - pos, p.reason());
                    out.add(new Found(null, tornTail, true));
                    pos = eof;
                    return;
                }
                if (next < 0) {
                    next = eof;
                }
                LogRecovery.Damage d = new LogRecovery.Damage(pos, next - pos, p.reason());
                corrupt.add(d);
                out.add(new Found(null, d, false));
                pos = next;
            }
        }
    }

    private LogScan() {
    }

    /**
     * Walks the log at {@code path} read-only (see the class comment): a log directory, or one
     * segment file. A missing path is an IOException (NoSuchFileException text from open: ENOENT).
     */
    public static Result read(Path path, Visitor visitor) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(visitor, "visitor");
        if (!Files.isDirectory(path)) {
            return readFile(path, visitor);
        }
        String name = path.toString();
        Path lockFile = path.resolve(LogSegments.LOCK_FILE);
        // No lock file: no daemon has opened this log, so there is no one to exclude.
        int lock = Posix.open((Files.exists(lockFile) ? lockFile : path).toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        LogScan walk = new LogScan();
        try {
            long[] bases;
            long newestSize;
            Posix.flock(lock, Posix.LOCK_SH, name);
            try {
                bases = LogSegments.bases(path);
                newestSize = bases.length == 0 ? 0 : Files.size(LogSegments.path(path, bases[bases.length - 1]));
            } finally {
                Posix.unlockQuietly(lock);
            }
            for (int i = 0; i < bases.length; i++) {
                boolean last = i == bases.length - 1;
                Path file = LogSegments.path(path, bases[i]);
                int fd;
                try {
                    fd = Posix.open(file.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
                } catch (Posix.ErrnoException e) {
                    if (!last && !Files.exists(file)) {
                        walk.removedDuringWalk = true; // retention removed it since the listing
                        continue;
                    }
                    throw e;
                }
                try {
                    jnr.posix.FileStat st = Posix.fstat(fd, file);
                    long size = last ? newestSize : st.st_size();
                    // only an active newest segment can have a torn tail; a sealed one's end is corrupt,
                    // as readers and recovery take it
                    walk.segment(fd, file, bases[i], size, last && !LogSegments.sealed(st), lock, visitor);
                } finally {
                    Posix.close(fd);
                }
            }
        } finally {
            Posix.close(lock);
        }
        return walk.result();
    }

    /** One file walked on its own, as the newest segment, under LOCK_SH on the file itself. */
    private static Result readFile(Path file, Visitor visitor) throws IOException {
        String name = file.toString();
        int fd = Posix.open(name, Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        try {
            long eof;
            Posix.flock(fd, Posix.LOCK_SH, name);
            try {
                eof = Posix.size(fd, name);
            } finally {
                Posix.unlockQuietly(fd);
            }
            LogScan walk = new LogScan();
            walk.segment(fd, file, Math.max(0, LogSegments.baseOf(file)), eof, true, fd, visitor);
            return walk.result();
        } finally {
            Posix.close(fd);
        }
    }

    private void segment(int fd, Path file, long base, long size, boolean last, int lock, Visitor visitor)
            throws IOException {
        if (start < 0) {
            start = base;
        } else if (removedDuringWalk) {
            removedDuringWalk = false; // what retention removed meanwhile is no gap in the log
        } else if (base != end) {
            LogRecovery.Damage missing = base > end
                    ? new LogRecovery.Damage(end, base - end, "segment missing")
                    : new LogRecovery.Damage(base, end - base, "segment overlaps the one before it");
            corrupt.add(missing);
            visitor.damage(missing, false);
        }
        segments++;
        end = base + size;
        if (validEnd < base) {
            validEnd = base;
        }
        Segment seg = new Segment(new RecordScanner(fd, file, base), base, base + size, last);
        while (!seg.done()) {
            List<Found> batch = new ArrayList<>();
            Posix.flock(lock, Posix.LOCK_SH, file);
            try {
                seg.step(BATCH_BYTES, batch);
            } finally {
                Posix.unlockQuietly(lock);
            }
            deliver(batch, visitor);
        }
    }

    /** One segment walked whole over {@code fd}, on which (or on whose log) the caller holds a lock. */
    static Result walkLocked(int fd, Path file, long base, Visitor visitor) throws IOException {
        LogScan walk = new LogScan();
        walk.start = base;
        walk.end = base + Posix.size(fd, file);
        walk.validEnd = base;
        walk.segments = 1;
        Segment seg = walk.new Segment(new RecordScanner(fd, file, base), base, walk.end, true);
        List<Found> found = new ArrayList<>();
        while (!seg.done()) {
            seg.step(Long.MAX_VALUE, found);
            deliver(found, visitor);
            found.clear();
        }
        return walk.result();
    }

    private static void deliver(List<Found> batch, Visitor visitor) {
        for (Found f : batch) {
            if (f.entry() != null) {
                visitor.record(f.entry());
            } else {
                visitor.damage(f.damage(), f.tail());
            }
        }
    }

    private Result result() {
        return new Result(Math.max(0, start), end, segments, records, firstTime, lastTime, validEnd,
                List.copyOf(corrupt), tornTail);
    }
}
