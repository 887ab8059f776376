package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Start-up verification of the log, run by the supervisor before any worker exists (and before
 * it opens a {@link MessageLog} on it: a truncation under an open instance is not something the
 * instance expects).
 *
 * <p>Under LOCK_EX it walks the newest segment (the only one a crash can leave torn: sealed
 * segments were fdatasync'ed whole before they were sealed) from its start with the record format
 * described in {@link MessageLog}: each valid record is counted; where the bytes are not a valid
 * record, the next offset at which a whole valid record parses is searched for. If there is one,
 * the stretch is reported as corrupt (and left in place: readers skip it); if there is none,
 * everything from the stretch to the end is a torn tail and is truncated, then the segment is
 * fdatasync'ed. (A newest segment that is sealed, its roller having died before creating the
 * successor, is never written again: its torn tail is reported among the corrupt stretches and
 * kept.) Both are logged as warnings. Start-up time does not grow with the log: the sealed
 * segments are checked by {@code forkchatd log verify}, and readers skip damage wherever it is.
 */
public final class LogRecovery {

    private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

    /** A stretch of bytes that is not a whole, valid record. */
    public record Damage(long offset, long length, String reason) {
    }

    /**
     * @param records          whole valid records found in the newest segment
     * @param validEnd         log offset just after the last valid record
     * @param truncatedBytes   bytes of torn tail removed (0 if none)
     * @param corrupt          corrupt stretches in the middle (kept in the file, never served)
     */
    public record Report(long records, long validEnd, long truncatedBytes, List<Damage> corrupt) {
    }

    private LogRecovery() {
    }

    /**
     * Prepares the log directory {@code dir} ({@link LogSegments#prepare}: created if absent, an
     * older single-file log moved in), then under LOCK_EX walks its newest segment, truncates a
     * torn tail and reports corrupt stretches that are followed by valid records.
     */
    public static Report recover(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        LogSegments.prepare(dir);
        String name = dir.toString();
        return LogSegments.exclusively(dir, () -> {
            Path newest = LogSegments.active(dir);
            if (newest == null) {
                log.info("{}: a new, empty log", name);
                return new Report(0, 0, 0, List.of());
            }
            // O_RDONLY for the walk: a newest segment can be sealed (its roller died before
            // creating the successor), and 0400 refuses O_WRONLY to a daemon without
            // CAP_DAC_OVERRIDE. Only an active segment with a torn tail is opened to write.
            int fd = Posix.open(newest.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
            try {
                return scan(fd, newest, LogSegments.baseOf(newest), LogSegments.sealed(Posix.fstat(fd, newest)));
            } finally {
                Posix.close(fd);
            }
        });
    }

    private static Report scan(int fd, Path file, long base, boolean sealed) throws IOException {
        LogScan.Result walk = LogScan.walkLocked(fd, file, base, new LogScan.Visitor() {
            @Override
            public void record(LogEntry entry) {
            }

            @Override
            public void damage(Damage d, boolean tail) {
                if (!tail) {
                    log.warn("{}: corrupt stretch of {} bytes at offset {} ({}); kept, readers skip it",
                            file, d.length(), d.offset(), d.reason());
                }
            }
        });
        long truncated = 0;
        List<Damage> corrupt = walk.corrupt();
        if (walk.tornTail() != null && sealed) {
            // Never written again, and the successor will start at its end: like the incomplete
            // end of any sealed segment, this is damage readers skip.
            Damage torn = walk.tornTail();
            log.warn("{}: sealed, with an incomplete end of {} bytes at offset {} ({}); kept, readers skip it",
                    file, torn.length(), torn.offset(), torn.reason());
            corrupt = new ArrayList<>(corrupt);
            corrupt.add(torn);
            corrupt = List.copyOf(corrupt);
        } else if (walk.tornTail() != null) {
            Damage torn = walk.tornTail();
            truncated = torn.length();
            log.warn("{}: truncating torn tail of {} bytes at offset {} ({})", file, truncated, torn.offset(),
                    torn.reason());
            int rw = Posix.open(file.toString(), Posix.O_RDWR | Posix.O_CLOEXEC, 0);
            try {
                Posix.ftruncate(rw, torn.offset() - base, file);
                Posix.fdatasync(rw, file);
            } finally {
                Posix.close(rw);
            }
        }
        Report report = new Report(walk.records(), walk.validEnd(), truncated, corrupt);
        log.info("{}: {} records in the newest segment, valid up to offset {}, {} bytes of torn tail removed,"
                + " {} corrupt stretches", file, walk.records(), walk.validEnd(), truncated, corrupt.size());
        return report;
    }
}
