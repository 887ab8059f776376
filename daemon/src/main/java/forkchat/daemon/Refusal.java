package forkchat.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the supervisor turns a connection away: one fixed {@code ERROR :reason} line, then close.
 * It never reads what the client sent. The line fits in an empty socket buffer, so the write
 * does not block on a client that reads nothing. A connection to the TLS listener is closed
 * without the line: only a worker speaks TLS, and plain text would reach the client's TLS stack
 * as a garbled record instead of a reason. The log line is written either way.
 */
final class Refusal {

    private static final Logger log = LoggerFactory.getLogger(Refusal.class);

    private Refusal() {
    }

    static void refuse(SocketChannel socket, String who, String reason) {
        refuse(socket, who, reason, false);
    }

    /** @param tls whether the connection came through the TLS listener (then it is only closed) */
    static void refuse(SocketChannel socket, String who, String reason, boolean tls) {
        log.info("refused {}{}: {}", who, tls ? " (TLS)" : "", reason);
        if (tls) {
            close(socket);
            return;
        }
        try {
            ByteBuffer line = ByteBuffer.wrap(("ERROR :" + reason + "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.write(line);
        } catch (IOException e) {
            log.debug("could not tell {} why: {}", who, e.getMessage());
        }
        close(socket);
    }

    /** The refusal when max_clients connections are being served. */
    static String serverFull(int maxClients) {
        return "Server full: " + maxClients + " clients (max_clients), try again later";
    }

    /** "address:port" of the peer, for log lines; "unknown" once the peer is gone. */
    static String peer(SocketChannel socket) {
        try {
            java.net.InetSocketAddress remote = (java.net.InetSocketAddress) socket.getRemoteAddress();
            return remote.getAddress().getHostAddress() + ":" + remote.getPort();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown:0";
        }
    }

    static void close(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing a client socket: {}", e.getMessage());
        }
    }
}
