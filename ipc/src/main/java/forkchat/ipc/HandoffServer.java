package forkchat.ipc;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The supervisor's end of $runtime_dir/handoff.sock (jnr-unixsocket).
 * CONTRACT ONLY: implemented by the ipc work.
 */
public final class HandoffServer implements Closeable {

    /**
     * Creates the socket's directory with mode 0700 if needed (refusing one that is not owned by
     * this uid or is accessible to others: it is fixed to 0700 when owned by us), removes a stale
     * socket file, binds, and sets the socket file to 0600.
     */
    public static HandoffServer bind(Path socketPath) throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    /** Blocks until a peer connects. Throws ClosedChannelException (an IOException) after close(). */
    public HandoffChannel accept() throws IOException {
        throw new UnsupportedOperationException("contract");
    }

    public Path path() {
        throw new UnsupportedOperationException("contract");
    }

    /** Closes the listening socket and removes the socket file. */
    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("contract");
    }
}
