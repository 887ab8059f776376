package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/** Descriptors of JDK socket channels. */
public final class SocketFds {

    private static final Logger log = LoggerFactory.getLogger(SocketFds.class);

    /** Copies of stdout and stderr taken by {@link #adopt}, for {@link #restoreOutput}; -1: none. */
    private static volatile int savedOut = -1;
    private static volatile int savedErr = -1;

    private SocketFds() {
    }

    private static final class FdVal {
        static final Method GET_FD_VAL;
        static final RuntimeException FAILURE;

        static {
            Method m = null;
            RuntimeException failure = null;
            try {
                m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            } catch (ReflectiveOperationException | RuntimeException e) {
                failure = new IllegalStateException("cannot find sun.nio.ch.SelChImpl.getFDVal in this JDK", e);
            }
            GET_FD_VAL = m;
            FAILURE = failure;
        }
    }

    /**
     * The int descriptor behind a JDK SocketChannel (through sun.nio.ch.SelChImpl; needs
     * --add-exports java.base/sun.nio.ch=ALL-UNNAMED at run time, or fails with a clear message).
     *
     * @throws IllegalStateException without the export, or for a channel that is not the JDK's
     */
    public static int fdOf(SocketChannel channel) {
        Objects.requireNonNull(channel, "channel");
        if (FdVal.FAILURE != null) {
            throw FdVal.FAILURE;
        }
        try {
            return (Integer) FdVal.GET_FD_VAL.invoke(channel);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot read the descriptor of " + channel.getClass().getName()
                    + ": the JVM needs --add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("SelChImpl.getFDVal failed on " + channel, e.getCause());
        }
    }

    /**
     * Turns a received socket descriptor into a JDK SocketChannel: dup2(fd, 0), close(fd), then
     * System.inheritedChannel(). Once per JVM (fine for a worker with one client). The channel is
     * left in blocking mode.
     *
     * <p>This replaces the process's stdin. The JDK decides what the inherited channel is the
     * first time anything calls System.inheritedChannel(): if that happened earlier, adopt fails
     * with an IOException and fd 0 keeps the socket. Closing the returned channel makes the JDK
     * point fds 0-2 at /dev/null; {@link #restoreOutput} gives 1 and 2 back.
     */
    public static SocketChannel adopt(int fd) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("bad descriptor " + fd);
        }
        if (fd != 0) {
            int e = dup2(fd, 0);
            if (e != 0) {
                throw Posix.error("dup2", fd + ", 0", e);
            }
            close(fd);
        }
        savedOut = copyOf(1);
        savedErr = copyOf(2);
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof SocketChannel socket)) {
            throw new IOException("System.inheritedChannel() gave "
                    + (inherited == null ? "null" : inherited.getClass().getName())
                    + " for descriptor 0: not a connected stream socket, or the JDK had already "
                    + "looked at its inherited channel before adopt()");
        }
        socket.configureBlocking(true);
        return socket;
    }

    /**
     * Points fds 1 and 2 back at what they were before {@link #adopt}, once the adopted channel is
     * closed: the JDK's inherited channel points them at /dev/null as it closes, and whatever the
     * process logs after its client left (to the supervisor, through its stderr) would be lost.
     * Nothing to do when nothing was adopted.
     */
    public static void restoreOutput() {
        restore(savedOut, 1);
        restore(savedErr, 2);
    }

    private static int copyOf(int fd) {
        int copy = Posix.get().dup(fd);
        if (copy < 0) {
            log.debug("dup({}) failed: {}; its output is lost once the client leaves", fd, Posix.describe(Posix.errno()));
            return -1;
        }
        Posix.get().fcntlInt(copy, jnr.constants.platform.Fcntl.F_SETFD, 1); // FD_CLOEXEC
        return copy;
    }

    private static void restore(int copy, int fd) {
        int e = copy < 0 ? 0 : dup2(copy, fd);
        if (e != 0) {
            log.debug("dup2({}, {}) failed: {}", copy, fd, Posix.describe(e));
        }
    }

    /** dup2(2), retried on EINTR; 0, or the errno it failed with. */
    private static int dup2(int from, int to) {
        while (Posix.get().dup2(from, to) < 0) {
            int e = Posix.errno();
            if (e != Posix.EINTR) {
                return e;
            }
        }
        return 0;
    }

    /** close(2) of a raw descriptor (e.g. one received and not adopted). */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        if (Posix.close(fd) != 0) {
            log.debug("close({}) failed: {}", fd, Posix.describe(Posix.errno()));
        }
    }
}
