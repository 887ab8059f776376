package forkchat.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pid_file}: checked at start (a live daemon's pidfile stops this one; a stale one
 * left by a crash is removed), written atomically once the daemon is ready, removed at stop if
 * it still names this process. "Live" means the pid exists and runs a java binary, so a pid
 * recycled by an unrelated process does not keep the daemon from starting.
 */
final class PidFile {

    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private final Path path;
    private final long pid = ProcessHandle.current().pid();

    private PidFile(Path path) {
        this.path = path;
    }

    /** Checks {@code path} before the daemon starts; throws if another live daemon wrote it. */
    static PidFile claim(Path path) throws IOException {
        PidFile file = new PidFile(path.toAbsolutePath());
        if (Files.exists(file.path)) {
            long other = readPid(file.path);
            if (other == file.pid) {
                return file; // written for this very process (daemon(8) -p writes it before exec)
            }
            boolean live = other > 0 && other != file.pid && ProcessHandle.of(other)
                    .filter(ProcessHandle::isAlive)
                    .map(p -> p.info().command().map(c -> c.contains("java")).orElse(true))
                    .orElse(false);
            if (live) {
                throw new IOException("pid file " + file.path + " names a running forkchatd (pid " + other + ")");
            }
            log.warn("removing stale pid file {} (pid {} is not running)", file.path, other);
            Files.deleteIfExists(file.path);
        }
        return file;
    }

    private static long readPid(Path path) {
        try {
            return Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Writes this process's pid: to a temporary file first, then renamed over the pid file. */
    void write() throws IOException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the pid file if it still names this process. */
    void remove() {
        try {
            if (readPid(path) == pid) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("cannot remove pid file {}: {}", path, e.getMessage());
        }
    }
}
