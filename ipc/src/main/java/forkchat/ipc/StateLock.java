package forkchat.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One daemon per state directory: an exclusive, non-blocking flock on {@code <state_dir>/lock},
 * held for the daemon's whole life and released by the kernel however it ends (so a crash
 * never leaves a stale lock). The descriptor is close-on-exec: worker JVMs do not inherit it.
 * The holder's pid is written into the file for the message a second daemon gets.
 */
public final class StateLock implements Closeable {

    private final int fd;
    private final Path file;

    private StateLock(int fd, Path file) {
        this.fd = fd;
        this.file = file;
    }

    /**
     * Takes the lock or fails at once.
     *
     * @throws IOException naming the pid of the daemon that holds it, if another one does
     */
    public static StateLock acquire(Path file) throws IOException {
        int fd = Posix.open(file.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0600);
        if (Posix.get().flock(fd, Posix.LOCK_EX | Posix.LOCK_NB) != 0) {
            int errno = Posix.errno();
            Posix.get().close(fd);
            if (errno == Posix.EWOULDBLOCK || errno == Posix.EAGAIN) {
                String holder = readQuietly(file);
                throw new IOException("another forkchatd" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + " is running on this state directory (" + file + " is locked)");
            }
            throw Posix.error("flock", file, errno);
        }
        StateLock lock = new StateLock(fd, file);
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        Posix.ftruncate(fd, 0, file);
        if (Posix.get().pwrite(fd, pid, pid.length, 0) != pid.length) {
            IOException e = Posix.error("pwrite", file);
            lock.close();
            throw e;
        }
        return lock;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock (the file stays: removing it would race with a daemon taking it). */
    @Override
    public void close() {
        Posix.unlockQuietly(fd);
        Posix.get().close(fd);
    }
}
