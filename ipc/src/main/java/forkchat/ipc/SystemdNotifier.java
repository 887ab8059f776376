package forkchat.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: one datagram per state change to the AF_UNIX socket named by
 * {@code NOTIFY_SOCKET} (a path, or an abstract name written with a leading '@'), through
 * jnr-unixsocket's datagram channel (the JDK has none, see PLATFORM-NOTES). Without
 * {@code NOTIFY_SOCKET} every call does nothing. A failed send is logged once and never stops
 * the daemon: readiness reporting must not be what takes a service down.
 */
public final class SystemdNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final UnixDatagramChannel channel;
    private final UnixSocketAddress target;
    private final String name;
    private boolean failedOnce;

    private SystemdNotifier(UnixDatagramChannel channel, UnixSocketAddress target, String name) {
        this.channel = channel;
        this.target = target;
        this.name = name;
    }

    /** A notifier for {@code NOTIFY_SOCKET} of this process's environment (disabled if unset). */
    public static SystemdNotifier fromEnvironment() {
        return forSocket(System.getenv("NOTIFY_SOCKET"));
    }

    /** A notifier for the given NOTIFY_SOCKET value; null or empty gives a disabled one. */
    public static SystemdNotifier forSocket(String socket) {
        if (socket == null || socket.isEmpty()) {
            return new SystemdNotifier(null, null, null);
        }
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        try {
            return new SystemdNotifier(UnixDatagramChannel.open(), new UnixSocketAddress(path), socket);
        } catch (IOException e) {
            log.warn("NOTIFY_SOCKET {}: cannot open a datagram socket ({}); not reporting to the service manager",
                    socket, e.getMessage());
            return new SystemdNotifier(null, null, null);
        }
    }

    public boolean enabled() {
        return channel != null;
    }

    /** Sends newline-separated {@code KEY=value} assignments, e.g. "READY=1\nSTATUS=serving". */
    public void send(String assignments) {
        if (channel == null) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(assignments.getBytes(StandardCharsets.UTF_8)), target);
        } catch (IOException | RuntimeException e) {
            if (!failedOnce) {
                failedOnce = true;
                log.warn("NOTIFY_SOCKET {}: cannot send '{}': {}", name, assignments.replace('\n', ' '), e.getMessage());
            }
        }
    }

    /** "RELOADING=1" with the CLOCK_MONOTONIC time systemd wants beside it (System.nanoTime is that clock). */
    public static String reloading() {
        return "RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing the notify socket: {}", e.getMessage());
            }
        }
    }
}
