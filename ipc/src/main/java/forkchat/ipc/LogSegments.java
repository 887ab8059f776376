package forkchat.ipc;

import jnr.posix.FileStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message log on disk: a directory ({@code $state_dir/log}) of segment files and one lock file.
 *
 * <ul>
 *   <li>A segment is named by the log offset of its first byte, 20 decimal digits and {@code .seg}
 *       ({@code 00000000000067108912.seg}), so offsets, which are record ids, stay the same for
 *       the life of the log, and names sort in log order. A record never spans two segments.</li>
 *   <li>Only the newest segment is appended to: the <em>active</em> one, mode 0600. The others are
 *       <em>sealed</em>: mode 0400, never written again. The mode is the seal, so every writer,
 *       whatever segment size it was configured with, learns from the fstat it makes anyway that
 *       its segment is closed.</li>
 *   <li>{@code lock} is the log's flock: writers take LOCK_EX on their own open file description of
 *       it, readers LOCK_SH. Segment files themselves are never locked.</li>
 *   <li>Rolling, under LOCK_EX: the active segment is fdatasync'ed (unless {@code fsync = never})
 *       and sealed, then its successor is created ({@code O_EXCL}) at base + size, and the
 *       directory is fsync'ed. Sealing comes first: a crash in between leaves a sealed newest
 *       segment, and the next writer creates the successor; never two segments appended to.</li>
 *   <li>Readers go from a sealed segment to the one at its end offset. A segment deleted by
 *       retention stays readable to whoever has it open (unlink semantics).</li>
 * </ul>
 */
public final class LogSegments {

    private static final Logger log = LoggerFactory.getLogger(LogSegments.class);

    /** The single-file log of forkchat before segments ({@code $state_dir/messages.log}). */
    public static final String LEGACY_FILE = "messages.log";

    static final String LOCK_FILE = "lock";
    static final int ACTIVE_MODE = 0600;
    static final int SEALED_MODE = 0400;
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

    private LogSegments() {
    }

    /** The segment file whose first byte is at log offset {@code base}. */
    public static Path path(Path dir, long base) {
        return dir.resolve(String.format(Locale.ROOT, "%020d.seg", base));
    }

    /** The base offset in a segment file's name, or -1 if the name is not a segment's. */
    public static long baseOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Base offsets of the segments in {@code dir}, ascending; empty if there is no such directory. */
    public static long[] bases(Path dir) throws IOException {
        long[] out = new long[16];
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path f : files) {
                long base = baseOf(f);
                if (base >= 0) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = base;
                }
            }
        } catch (NoSuchFileException e) {
            return new long[0];
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    /** The newest segment (the one appended to), or null when the log has none yet. */
    public static Path active(Path dir) throws IOException {
        long[] b = bases(dir);
        return b.length == 0 ? null : path(dir, b[b.length - 1]);
    }

    /** Whether the segment whose fstat this is has been sealed (mode without owner write). */
    static boolean sealed(FileStat st) {
        return (st.mode() & 0200) == 0;
    }

    /** The base of the newest segment starting at or before {@code offset}, or -1. */
    static long floorBase(long[] bases, long offset) {
        int i = Arrays.binarySearch(bases, offset);
        if (i >= 0) {
            return bases[i];
        }
        int insertion = -i - 1;
        return insertion == 0 ? -1 : bases[insertion - 1];
    }

    /** The base of the oldest segment starting after {@code offset}, or -1. */
    static long nextBase(long[] bases, long offset) {
        int i = Arrays.binarySearch(bases, offset);
        int next = i >= 0 ? i + 1 : -i - 1;
        return next < bases.length ? bases[next] : -1;
    }

    /**
     * Makes the log directory (0700) if it is missing, and moves the single-file log of an older
     * forkchat ({@code messages.log} beside it) in as the segment at offset 0, so every record keeps
     * its offset. Run by the supervisor under its state-directory lock, before any worker exists.
     */
    public static void prepare(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path legacy = dir.toAbsolutePath().getParent().resolve(LEGACY_FILE);
        if (Files.isRegularFile(legacy)) {
            if (bases(dir).length > 0) {
                log.warn("{} and the segmented log {} both exist; the segmented log is used, {} is left alone",
                        legacy, dir, legacy);
                return;
            }
            Path first = path(dir, 0);
            Files.move(legacy, first);
            Posix.fsyncDirectory(dir.toString());
            Posix.fsyncDirectory(legacy.getParent().toString());
            log.info("moved the single-file log {} to {}: the log is now kept in segments", legacy, first);
        }
    }

    /** What runs under the log's exclusive lock. */
    interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding LOCK_EX on the log in {@code dir}, on a lock descriptor of its own. */
    static <T> T exclusively(Path dir, Locked<T> action) throws IOException {
        String name = dir.toString();
        int lock = openLock(dir);
        try {
            Posix.flock(lock, Posix.LOCK_EX, name);
            try {
                return action.run();
            } finally {
                String err = Posix.unlockQuietly(lock);
                if (err != null) {
                    log.error("{}: flock(LOCK_UN) failed: {}", name, err);
                }
            }
        } finally {
            Posix.close(lock);
        }
    }

    /** Opens (creating, 0600) the log's lock file in {@code dir}, creating the directory if needed. */
    static int openLock(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            prepare(dir);
        }
        return Posix.open(dir.resolve(LOCK_FILE).toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0600);
    }

    /**
     * Opens the segment at {@code base} for appending, creating it (0600) if it does not exist.
     * The caller holds LOCK_EX. When {@code durability} is not NEVER, a created name is made durable.
     */
    static int openForAppend(Path dir, long base, Durability durability) throws IOException {
        Path p = path(dir, base);
        int flags = Posix.O_WRONLY | Posix.O_APPEND | Posix.O_CLOEXEC;
        try {
            return Posix.open(p.toString(), flags, 0);
        } catch (Posix.ErrnoException e) {
            if (Files.exists(p)) {
                throw e;
            }
        }
        int fd = Posix.open(p.toString(), flags | Posix.O_CREAT | Posix.O_EXCL, ACTIVE_MODE);
        if (durability != Durability.NEVER) {
            try {
                Posix.fsyncDirectory(dir.toString());
            } catch (IOException e) {
                Posix.close(fd);
                throw e;
            }
        }
        return fd;
    }

    /**
     * The segment an append goes to, starting from {@code base}: {@code base} itself unless it is
     * sealed, in which case the segment at its end (and on, while those are sealed too: a roller
     * died between the seal and the create). A sealed segment is looked at through O_RDONLY only:
     * its 0400 mode refuses O_WRONLY to a daemon without CAP_DAC_OVERRIDE. The caller holds LOCK_EX.
     */
    static long appendable(Path dir, long base) throws IOException {
        while (true) {
            Path p = path(dir, base);
            int fd;
            try {
                fd = Posix.open(p.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
            } catch (Posix.ErrnoException e) {
                if (Files.exists(p)) {
                    throw e;
                }
                return base; // to be created
            }
            try {
                FileStat st = Posix.fstat(fd, p);
                if (!sealed(st)) {
                    return base;
                }
                base += st.st_size();
            } finally {
                Posix.close(fd);
            }
        }
    }

    /**
     * Seals the active segment {@code fd} (of {@code size} bytes at {@code base}) and creates its
     * successor; returns the successor's append descriptor. The caller holds LOCK_EX and closes
     * {@code fd} afterwards.
     */
    static int roll(Path dir, int fd, long base, long size, Durability durability) throws IOException {
        String name = path(dir, base).toString();
        if (durability != Durability.NEVER) {
            Posix.fdatasync(fd, name); // a sealed segment is whole on disk before anything follows it
        }
        Posix.fchmod(fd, SEALED_MODE, name);
        int next = openForAppend(dir, base + size, durability);
        log.debug("{}: sealed at {} bytes; appending to {}", name, size, path(dir, base + size));
        return next;
    }
}
