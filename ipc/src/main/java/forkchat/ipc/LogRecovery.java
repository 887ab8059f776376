package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Start-up verification of the log, run by the supervisor before any worker exists (and before
 * it opens a {@link MessageLog} on the file itself: a truncation under an open instance is not
 * something the instance expects).
 *
 * <p>The scan uses the record format described in {@link MessageLog}: from offset 0, each valid
 * record is counted; where the bytes are not a valid record, the next offset at which a whole valid
 * record parses is searched for. If there is one, the stretch is reported as corrupt (and left in
 * place: readers skip it); if there is none, everything from the stretch to EOF is a torn tail and
 * is truncated, then the file is fdatasync'ed. Both are logged as warnings.
 */
public final class LogRecovery {

    private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

    /** A stretch of bytes that is not a whole, valid record. */
    public record Damage(long offset, long length, String reason) {
    }

    /**
     * @param records          whole valid records found
     * @param validEnd         offset just after the last valid record
     * @param truncatedBytes   bytes of torn tail removed (0 if none)
     * @param corrupt          corrupt stretches in the middle (kept in the file, never served)
     */
    public record Report(long records, long validEnd, long truncatedBytes, List<Damage> corrupt) {
    }

    private LogRecovery() {
    }

    /**
     * Under LOCK_EX: scans the whole log (creating it if absent), truncates a torn tail (an
     * incomplete or invalid stretch after the last valid record) and reports corrupt stretches
     * that are followed by valid records.
     */
    public static Report recover(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        int fd = Posix.open(name, Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0600);
        try {
            Posix.flock(fd, Posix.LOCK_EX, name);
            try {
                return scan(fd, name);
            } finally {
                String err = Posix.unlockQuietly(fd);
                if (err != null) {
                    log.error("{}: flock(LOCK_UN) failed: {}", name, err);
                }
            }
        } finally {
            Posix.close(fd);
        }
    }

    private static Report scan(int fd, String name) throws IOException {
        LogScan.Result walk = LogScan.walkLocked(fd, name, new LogScan.Visitor() {
            @Override
            public void record(LogEntry entry) {
            }

            @Override
            public void damage(Damage d, boolean tail) {
                if (!tail) {
                    log.warn("{}: corrupt stretch of {} bytes at offset {} ({}); kept, readers skip it",
                            name, d.length(), d.offset(), d.reason());
                }
            }
        });
        long truncated = 0;
        if (walk.tornTail() != null) {
            Damage torn = walk.tornTail();
            truncated = torn.length();
            log.warn("{}: truncating torn tail of {} bytes at offset {} ({})", name, truncated, torn.offset(),
                    torn.reason());
            Posix.ftruncate(fd, torn.offset(), name);
            Posix.fdatasync(fd, name);
        }
        Report report = new Report(walk.records(), walk.validEnd(), truncated, walk.corrupt());
        log.info("{}: {} records, valid up to {}, {} bytes of torn tail removed, {} corrupt stretches",
                name, walk.records(), walk.validEnd(), truncated, walk.corrupt().size());
        return report;
    }
}
