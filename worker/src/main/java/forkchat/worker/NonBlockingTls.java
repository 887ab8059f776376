package forkchat.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import tlschannel.NeedsReadException;
import tlschannel.NeedsWriteException;
import tlschannel.ServerTlsChannel;
import tlschannel.TlsChannel;

/**
 * TLS for the event model: a server-side {@link TlsChannel} (SSLEngine behind a
 * {@link ByteChannel}) over a non-blocking socket, made to look like the plain socket to its
 * caller. Where the socket is not ready, reads and writes return 0, as a non-blocking socket's
 * do; what differs is that TLS may need the other direction first (a read that must send a
 * handshake message, a write that must wait for the client's), which {@link #readNeedsWrite} and
 * {@link #writeNeedsRead} tell the event loop so it waits for the right readiness. Plain text may
 * also stay decrypted inside the channel after the socket has been drained: a caller that stops
 * reading early must read again without waiting for the selector.
 */
final class NonBlockingTls implements ByteChannel {

    private final TlsChannel tls;
    private boolean readNeedsWrite;
    private boolean writeNeedsRead;
    private boolean established;

    NonBlockingTls(SocketChannel socket, SSLContext context) {
        this.tls = ServerTlsChannel.newBuilder(socket, context).build();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        readNeedsWrite = false;
        try {
            int n = tls.read(dst);
            if (n > 0) {
                established = true;
            }
            return n;
        } catch (NeedsReadException e) {
            return 0;
        } catch (NeedsWriteException e) {
            readNeedsWrite = true;
            return 0;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writeNeedsRead = false;
        try {
            return tls.write(src);
        } catch (NeedsWriteException e) {
            return 0;
        } catch (NeedsReadException e) {
            writeNeedsRead = true;
            return 0;
        }
    }

    /**
     * Whether the client has sent plain text, so the handshake is done. Before that there is
     * nobody to write to: output would wait on a handshake the client may never finish.
     */
    boolean established() {
        return established;
    }

    /** The last read stopped because TLS must write first: wait for OP_WRITE, then read again. */
    boolean readNeedsWrite() {
        return readNeedsWrite;
    }

    /** The last write stopped because TLS must read first (a handshake under way). */
    boolean writeNeedsRead() {
        return writeNeedsRead;
    }

    @Override
    public boolean isOpen() {
        return tls.isOpen();
    }

    /**
     * Sends close_notify, without waiting for the client's; true if it went out whole (false if
     * the socket did not take all of it, or the connection failed).
     */
    boolean closeNotify() {
        try {
            tls.shutdown();
            return true;
        } catch (IOException e) {
            return false; // NeedsWriteException (the socket is full) among others
        }
    }

    /** Closes the TCP connection without waiting for the client's close_notify. */
    @Override
    public void close() throws IOException {
        tls.close();
    }
}
