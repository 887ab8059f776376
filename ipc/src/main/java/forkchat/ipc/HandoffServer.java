package forkchat.ipc;

import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The supervisor's end of $runtime_dir/handoff.sock (jnr-unixsocket).
 *
 * <p>{@link #accept()} may be called from one thread or several (they take turns);
 * {@link #close()} from any thread wakes a blocked accept, which then throws
 * ClosedChannelException.
 */
public final class HandoffServer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HandoffServer.class);

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFSOCK = 0140000;
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final UnixServerSocketChannel channel;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private HandoffServer(Path path, UnixServerSocketChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Creates the socket's directory with mode 0700 if needed (refusing one that is not owned by
     * this uid or is accessible to others: it is fixed to 0700 when owned by us), removes a stale
     * socket file, binds, and sets the socket file to 0600.
     *
     * <p>Also refused: a directory that is a symbolic link, a non-socket file at the socket path,
     * and a socket another server is still listening on (a second supervisor).
     */
    public static HandoffServer bind(Path socketPath) throws IOException {
        Objects.requireNonNull(socketPath, "socketPath");
        Path p = socketPath.toAbsolutePath().normalize();
        checkPathLength(p);
        Path dir = p.getParent();
        if (dir == null) {
            throw new IOException("no directory for " + p);
        }
        prepareDirectory(dir);
        removeStale(p);
        UnixServerSocketChannel ch = UnixServerSocketChannel.open();
        try {
            FdMessages.setCloexec(ch.getFD());
            try {
                ch.socket().bind(new UnixSocketAddress(p.toFile()));
            } catch (IOException e) {
                throw new IOException("bind(" + p + ") failed: " + e.getMessage(), e);
            }
            Files.setPosixFilePermissions(p, SOCKET_MODE);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.debug("handoff socket bound at {}", p);
        return new HandoffServer(p, ch);
    }

    /** Blocks until a peer connects. Throws ClosedChannelException (an IOException) after close(). */
    public HandoffChannel accept() throws IOException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
        acceptLock.lock();
        try {
            if (closed.get()) {
                throw new ClosedChannelException();
            }
            UnixSocketChannel c = channel.accept();
            if (c == null) {
                throw new IOException("accept on " + path + " returned nothing");
            }
            if (closed.get()) {
                c.close();
                throw new ClosedChannelException();
            }
            return new HandoffChannel(c);
        } finally {
            acceptLock.unlock();
        }
    }

    /** The absolute path of the socket file. */
    public Path path() {
        return path;
    }

    /** Closes the listening socket and removes the socket file. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Wake a thread blocked in accept(2) with a connection of our own (it sees the flag and
        // throws); jnr's close also shuts the socket down, which wakes it on Linux.
        wakeAcceptor();
        boolean locked = false;
        try {
            locked = acceptLock.tryLock(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } finally {
            if (locked) {
                acceptLock.unlock();
            }
            Files.deleteIfExists(path);
        }
    }

    @Override
    public String toString() {
        return "HandoffServer[" + path + (closed.get() ? ", closed" : "") + "]";
    }

    private void wakeAcceptor() {
        if (!acceptLock.isLocked()) {
            return;
        }
        try (UnixSocketChannel c = UnixSocketChannel.create()) {
            c.configureBlocking(false);
            c.connect(new UnixSocketAddress(path.toFile()));
        } catch (IOException | RuntimeException e) {
            log.debug("could not wake the acceptor on {}: {}", path, e.toString());
        }
    }

    // ---- filesystem rules -------------------------------------------------------------------

    static void checkPathLength(Path p) throws IOException {
        int max = jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.LINUX ? 107 : 103;
        int len = p.toString().getBytes(StandardCharsets.UTF_8).length;
        if (len > max) {
            throw new IOException("socket path of " + len + " bytes is longer than the " + max
                    + " a Unix socket address holds: " + p);
        }
    }

    static void prepareDirectory(Path dir) throws IOException {
        int me = Posix.get().geteuid();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException raced) {
                // someone made it meanwhile: verified below like any existing directory
            }
        }
        Map<String, Object> attrs = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attrs.get("mode");
        int owner = (Integer) attrs.get("uid");
        if ((mode & S_IFMT) != S_IFDIR) {
            throw new IOException(dir + " is not a directory (symbolic links are refused)");
        }
        if (owner != me) {
            throw new IOException("refusing runtime directory " + dir + ": owned by uid " + owner
                    + ", not by this process's uid " + me);
        }
        if ((mode & 0777) != 0700) {
            if ((mode & 0077) != 0) {
                log.warn("runtime directory {} had mode {}: accessible to others, set to 0700",
                        dir, Integer.toOctalString(mode & 07777));
            }
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    private static void removeStale(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(p + " exists and is not a socket: refusing to replace it");
        }
        if (listening(p)) {
            throw new IOException("another server is listening on " + p);
        }
        log.info("removing stale handoff socket {}", p);
        Files.deleteIfExists(p);
    }

    /** Whether something accepts connections on {@code p} (connected, or connection pending). */
    private static boolean listening(Path p) {
        try (UnixSocketChannel c = UnixSocketChannel.create()) {
            c.configureBlocking(false);
            c.connect(new UnixSocketAddress(p.toFile()));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
