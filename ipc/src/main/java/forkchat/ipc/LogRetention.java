package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the log from growing without bound: deletes whole sealed segments, oldest first, by size
 * and by age, and seals a quiet active segment so that age can reach it. Run by the supervisor at
 * start and then periodically; each pass holds the log's LOCK_EX only for a directory listing, a
 * few fstat/pread calls and the unlink(2) calls: writers wait for that, never for a copy or a scan,
 * and readers that have a deleted segment open go on reading it (unlink semantics).
 *
 * <p>What is never deleted:
 * <ul>
 *   <li>the active segment, and every segment from the one holding {@code keepFrom} on: the
 *       running daemon's server-start record, from which every new session folds presence;</li>
 *   <li>by size: any segment that ends within {@link Policy#keepBytes} of the end of the log, the
 *       reach of channel history and offline delivery (their backward scans read no further), so
 *       a size limit never takes anything they would have served.</li>
 * </ul>
 * Age is the administrator's promise to forget: a sealed segment whose newest record is older
 * than {@link Policy#maxAge} is deleted even inside that reach. To let age reach a quiet log, the
 * active segment is sealed once its oldest record is older than a tenth of the age (at most a
 * day), so a record is gone at most that much (plus one pass) after it reaches the age.
 */
public final class LogRetention {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

    /** Longest a segment stays active once age retention is on. */
    static final Duration MAX_ACTIVE_AGE = Duration.ofDays(1);

    /**
     * @param maxBytes  the log's size above which the oldest segments go (0: no size limit)
     * @param maxAge    age after which a segment's records go (zero: no age limit)
     * @param keepBytes bytes at the end of the log that the size limit never removes
     */
    public record Policy(long maxBytes, Duration maxAge, long keepBytes) {
        public Policy {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxBytes < 0 || keepBytes < 0 || maxAge.isNegative()) {
                throw new IllegalArgumentException("negative retention limit");
            }
        }

        boolean none() {
            return maxBytes == 0 && maxAge.isZero();
        }

        /** How old the active segment's oldest record may get before it is sealed, or null: never. */
        Duration activeAge() {
            if (maxAge.isZero()) {
                return null;
            }
            Duration tenth = maxAge.dividedBy(10);
            return tenth.compareTo(MAX_ACTIVE_AGE) > 0 ? MAX_ACTIVE_AGE : tenth;
        }
    }

    /**
     * @param removed      segment files deleted, oldest first
     * @param removedBytes their total size
     * @param sealed       whether the active segment was sealed for age
     * @param start        log offset of the oldest segment left
     * @param size         bytes left in the log
     */
    public record Outcome(List<Path> removed, long removedBytes, boolean sealed, long start, long size) {
    }

    private LogRetention() {
    }

    /**
     * One retention pass over the log in {@code dir}: see the class comment.
     *
     * @param keepFrom   a log offset whose segment and everything after it must stay
     * @param nowMillis  the present, in ms since the epoch
     */
    public static Outcome apply(Path dir, Policy policy, long keepFrom, long nowMillis, Durability durability)
            throws IOException {
        Objects.requireNonNull(policy, "policy");
        if (policy.none()) {
            return new Outcome(List.of(), 0, false, 0, 0);
        }
        return LogSegments.exclusively(dir, () -> applyLocked(dir, policy, keepFrom, nowMillis, durability));
    }

    private static Outcome applyLocked(Path dir, Policy policy, long keepFrom, long nowMillis, Durability durability)
            throws IOException {
        long[] bases = LogSegments.bases(dir);
        if (bases.length == 0) {
            return new Outcome(List.of(), 0, false, 0, 0);
        }
        boolean sealed = false;
        long newest = bases[bases.length - 1];
        Duration activeAge = policy.activeAge();
        if (activeAge != null) {
            sealed = sealIfOld(dir, newest, nowMillis - activeAge.toMillis(), durability);
            if (sealed) {
                bases = LogSegments.bases(dir);
            }
        }
        long[] sizes = new long[bases.length];
        long total = 0;
        for (int i = 0; i < bases.length; i++) {
            sizes[i] = sizeOf(LogSegments.path(dir, bases[i]));
            total += sizes[i];
        }
        long end = bases[bases.length - 1] + sizes[bases.length - 1];
        long protectedFrom = LogSegments.floorBase(bases, keepFrom);
        if (protectedFrom < 0) {
            protectedFrom = bases[0];
        }
        long cutoff = policy.maxAge().isZero() ? Long.MIN_VALUE : nowMillis - policy.maxAge().toMillis();
        List<Path> removed = new ArrayList<>();
        long removedBytes = 0;
        int first = 0;
        for (int i = 0; i < bases.length - 1 && bases[i] < protectedFrom; i++) {
            Path file = LogSegments.path(dir, bases[i]);
            long segEnd = bases[i] + sizes[i];
            boolean bySize = policy.maxBytes() > 0 && total > policy.maxBytes() && segEnd <= end - policy.keepBytes();
            boolean byAge = cutoff != Long.MIN_VALUE && newestRecordMillis(file, bases[i], sizes[i]) < cutoff;
            if (!bySize && !byAge) {
                break; // oldest first: what is left stays one contiguous stretch
            }
            Files.delete(file);
            log.debug("log retention: removed {} ({} bytes, offsets {} to {}; {})", file.getFileName(), sizes[i],
                    bases[i], segEnd, byAge ? "older than " + policy.maxAge() : "log over " + policy.maxBytes() + " bytes");
            removed.add(file);
            removedBytes += sizes[i];
            total -= sizes[i];
            first = i + 1;
        }
        if (!removed.isEmpty() && durability != Durability.NEVER) {
            Posix.fsyncDirectory(dir.toString());
        }
        return new Outcome(List.copyOf(removed), removedBytes, sealed, bases[first], total);
    }

    /** Seals the active segment at {@code base} if it has records and its first is older than {@code before}. */
    private static boolean sealIfOld(Path dir, long base, long before, Durability durability) throws IOException {
        Path file = LogSegments.path(dir, base);
        int fd;
        try {
            // O_RDONLY: fdatasync and fchmod need no write access, and a segment that is sealed
            // already (0400) refuses O_WRONLY to a daemon without CAP_DAC_OVERRIDE.
            fd = Posix.open(file.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        } catch (Posix.ErrnoException e) {
            if (!Files.exists(file)) {
                return false;
            }
            throw e;
        }
        try {
            jnr.posix.FileStat st = Posix.fstat(fd, file);
            if (LogSegments.sealed(st) || st.st_size() == 0) {
                return false;
            }
            RecordScanner.Parse first = new RecordScanner(fd, file, base).parseAt(base, base + st.st_size());
            if (first.kind() != RecordScanner.Kind.VALID || first.entry().timeMillis() >= before) {
                return false;
            }
            int next = LogSegments.roll(dir, fd, base, st.st_size(), durability);
            Posix.close(next);
            log.info("log retention: sealed {} (its oldest record is older than the active segment may get)",
                    file.getFileName());
            return true;
        } finally {
            Posix.close(fd);
        }
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Time of the last record of a sealed segment, found through its trailer; the file's mtime if damaged. */
    private static long newestRecordMillis(Path file, long base, long size) throws IOException {
        if (size >= Records.OVERHEAD) {
            int fd = Posix.open(file.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
            try {
                RecordScanner scanner = new RecordScanner(fd, file, base);
                long eof = base + size;
                int total = scanner.intAt(eof - 4, eof);
                if (total >= Records.OVERHEAD && total <= Records.MAX_RECORD && total <= size) {
                    RecordScanner.Parse p = scanner.parseAt(eof - total, eof);
                    if (p.kind() == RecordScanner.Kind.VALID) {
                        return p.entry().timeMillis();
                    }
                }
            } finally {
                Posix.close(fd);
            }
        }
        return Files.getLastModifiedTime(file).toMillis();
    }
}
