package forkchat.ipc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A walk over the whole log from offset 0, record by record: every whole valid record, every
 * corrupt stretch that valid records follow (its offset, length and what is wrong with its first
 * bytes), and a torn tail (an incomplete or invalid stretch that no valid record follows).
 *
 * <p>{@link #read} is the administrator's view ({@code forkchatd log verify | dump}): read-only,
 * safe on the log of a running daemon. It opens the file O_RDONLY, notes its size under LOCK_SH,
 * and walks up to that size in batches, each under its own LOCK_SH; what a batch found is handed
 * to the {@link Visitor} after the lock is released, so a slow consumer (a pager) never holds the
 * daemon's writers off. The bytes below a size observed under LOCK_SH never change while the daemon
 * runs (writers only append, and a failed append truncates back to where it began, beyond that
 * size), so the batches add up to one consistent picture of the log as it was at that size.
 * A "torn tail" in that picture is real: no writer was inside its write(2) when the size was noted.
 *
 * <p>{@link LogRecovery} makes the same walk under its own LOCK_EX before it truncates.
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
     * @param size      bytes of log walked (its size when the walk began)
     * @param records   whole valid records
     * @param firstTime time stamp of the first valid record (ms since the epoch), or -1 if none
     * @param lastTime  time stamp of the last valid record, or -1 if none
     * @param validEnd  offset just after the last valid record
     * @param corrupt   corrupt stretches followed by valid records (readers skip them)
     * @param tornTail  the stretch after the last valid record that is not a whole record, or null
     */
    public record Result(long size, long records, long firstTime, long lastTime, long validEnd,
                         List<LogRecovery.Damage> corrupt, LogRecovery.Damage tornTail) {
        public boolean clean() {
            return corrupt.isEmpty() && tornTail == null;
        }
    }

    private record Found(LogEntry entry, LogRecovery.Damage damage, boolean tail) {
    }

    private final RecordScanner scanner;
    private final long eof;
    private long pos;
    private long records;
    private long firstTime = -1;
    private long lastTime = -1;
    private long validEnd;
    private final List<LogRecovery.Damage> corrupt = new ArrayList<>();
    private LogRecovery.Damage tornTail;

    private LogScan(RecordScanner scanner, long eof) {
        this.scanner = scanner;
        this.eof = eof;
    }

    /**
     * Walks the log at {@code file} read-only (see the class comment). A missing file is an
     * IOException (NoSuchFileException text from open: ENOENT).
     */
    public static Result read(Path file, Visitor visitor) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(visitor, "visitor");
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
            LogScan walk = new LogScan(new RecordScanner(fd, name), eof);
            while (!walk.done()) {
                List<Found> batch = new ArrayList<>();
                Posix.flock(fd, Posix.LOCK_SH, name);
                try {
                    walk.step(BATCH_BYTES, batch);
                } finally {
                    Posix.unlockQuietly(fd);
                }
                deliver(batch, visitor);
            }
            return walk.result();
        } finally {
            Posix.close(fd);
        }
    }

    /** The whole walk in one go over {@code fd}, on which the caller holds a lock. */
    static Result walkLocked(int fd, String name, Visitor visitor) throws IOException {
        LogScan walk = new LogScan(new RecordScanner(fd, name), Posix.size(fd, name));
        List<Found> found = new ArrayList<>();
        while (!walk.done()) {
            walk.step(Long.MAX_VALUE, found);
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

    private boolean done() {
        return pos >= eof;
    }

    /** Parses about {@code budget} bytes from where the walk stands (and the resync after damage). */
    private void step(long budget, List<Found> out) throws IOException {
        scanner.invalidate();
        long start = pos;
        while (pos < eof && pos - start < budget) {
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
            if (next < 0) {
                tornTail = new LogRecovery.Damage(pos, eof - pos, p.reason());
                out.add(new Found(null, tornTail, true));
                pos = eof;
                return;
            }
            LogRecovery.Damage d = new LogRecovery.Damage(pos, next - pos, p.reason());
            corrupt.add(d);
            out.add(new Found(null, d, false));
            pos = next;
        }
    }

    private Result result() {
        return new Result(eof, records, firstTime, lastTime, validEnd, List.copyOf(corrupt), tornTail);
    }
}
