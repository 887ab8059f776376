package forkchat.ipc;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Descriptors of JDK socket channels. CONTRACT ONLY: implemented by the ipc work. */
public final class SocketFds {

    private SocketFds() {
    }

    /**
     * The int descriptor behind a JDK SocketChannel (through sun.nio.ch.SelChImpl; needs
     * --add-exports java.base/sun.nio.ch=ALL-UNNAMED at run time, or fails with a clear message).
     */
    public static int fdOf(SocketChannel channel) {
        throw new UnsupportedOperationException("contract");
    }

    /**
     * Turns a received socket descriptor into a JDK SocketChannel: dup2(fd, 0), close(fd), then
     * System.inheritedChannel(). Once per JVM (fine for a worker with one client). The channel is
     * left in blocking mode.
     */
    public static SocketChannel adopt(int fd) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** close(2) of a raw descriptor (e.g. one received and not adopted). */
    public static void close(int fd) {
        throw new UnsupportedOperationException("contract");
    }
}
