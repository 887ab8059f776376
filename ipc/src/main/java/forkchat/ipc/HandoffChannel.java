package forkchat.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One connection on the handoff socket: newline-terminated UTF-8 control lines in both
 * directions, and descriptors passed with SCM_RIGHTS alongside a line (always with at least one
 * data byte, direct buffers: see PLATFORM-NOTES). Sends are thread-safe with each other;
 * {@link #receive()} is for one reading thread. CONTRACT ONLY: implemented by the ipc work.
 */
public final class HandoffChannel implements Closeable {

    /** Worker side: connects to the supervisor's handoff socket. */
    public static HandoffChannel connect(Path socketPath) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** The peer's credentials (SO_PEERCRED) as the kernel recorded them at connect. */
    public PeerCredentials peer() throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** Sends one line (a newline is appended). */
    public void send(String line) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** Sends one line and the descriptor {@code fd} with it in the same sendmsg(2). */
    public void sendWithFd(String line, int fd) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** Blocks for the next line; returns null at EOF (the peer is gone). */
    public ControlMessage receive() throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** Closes the connection; a thread blocked in receive() returns null or throws. */
    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("contract");
    }
}
