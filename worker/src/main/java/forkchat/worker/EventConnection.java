package forkchat.worker;

import forkchat.chat.LineFramer;
import forkchat.chat.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client in the event model: the same pieces as every other model — {@link LineFramer}
 * (framing), the {@link Session} (protocol and chat), the {@link Outbox} (output) — driven by
 * the {@link EventLoop}'s readiness events instead of by threads of its own. Only the loop
 * thread touches it. A connection to the TLS listener reads and writes through
 * {@link NonBlockingTls}; the handshake happens in the course of the first reads.
 *
 * <p>When the session ends with its last words written, the connection closes the way
 * {@link ClientConnection} does (a lingering close, see there): close_notify for TLS, a half-close,
 * and then, with the session gone, the socket stays registered for reading only: what the client
 * still sends is discarded until it closes too, falls quiet, or the linger time is up, which the
 * loop checks on every turn ({@link #lingerOver}). Nothing of this ever blocks the loop.
 */
final class EventConnection {

    private static final Logger log = LoggerFactory.getLogger(EventConnection.class);

    private final SocketChannel channel;
    /** What the connection reads and writes: the socket itself, or TLS over it. */
    private final ByteChannel io;
    private final NonBlockingTls tls;
    private final SessionSetup.View view;
    private final Outbox outbox;
    private final Session session;
    private final LineFramer framer;
    private final ByteBuffer input = ByteBuffer.allocate(8192);
    private final long sendTimeoutNanos;
    private final Consumer<EventConnection> onClosed;
    private SelectionKey key;
    /** When output first stopped fitting into the socket; 0 while it fits. */
    private long stuckSince;
    /** Flood control: System.nanoTime() before which this client is not read; 0 when it may be. */
    private long readPausedUntil;
    /** The session is over (the loop no longer serves it as a client); the socket may linger. */
    private boolean closed;
    private boolean socketClosed;
    /** Lingering close: System.nanoTime() at which it ends at the latest; 0 when not lingering. */
    private long lingerUntil;
    /** Lingering close: it ends at this time unless the client sends more meanwhile. */
    private long quietUntil;
    private long discarded;

    /** @param tls the server's TLS context for a connection to the TLS listener, or null */
    EventConnection(SocketChannel channel, SSLContext tls, SessionSetup.View view, long sendTimeoutNanos,
                    java.util.function.Function<Outbox, Session> session, Runnable markDirty,
                    Consumer<EventConnection> onClosed) {
        this.channel = channel;
        this.tls = tls == null ? null : new NonBlockingTls(channel, tls);
        this.io = this.tls == null ? channel : this.tls;
        this.view = view;
        this.sendTimeoutNanos = sendTimeoutNanos;
        this.onClosed = onClosed;
        this.outbox = new Outbox(markDirty);
        this.session = session.apply(outbox);
        this.framer = new LineFramer(new LineFramer.Handler() {
            @Override
            public void line(byte[] line) {
                EventConnection.this.session.onLine(line);
            }

            @Override
            public void tooLong() {
                EventConnection.this.session.onLineTooLong();
            }
        });
    }

    void register(java.nio.channels.Selector selector) throws IOException {
        channel.configureBlocking(false);
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** The socket has bytes (or EOF): read all it has, one line at a time into the session. */
    void onReadable() {
        if (lingerUntil != 0) {
            discard();
            return;
        }
        try {
            while (!closed) {
                input.clear();
                int n = io.read(input);
                if (n < 0) {
                    disconnect("Remote host closed the connection");
                    return;
                }
                if (n == 0) {
                    break;
                }
                input.flip();
                framer.feed(input);
                if (session.isClosed()) {
                    break;
                }
                long delay = session.readDelayMillis();
                if (delay > 0) {
                    // flood control: stop reading this client until the delay has passed
                    readPausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                    break;
                }
            }
        } catch (SSLException e) {
            log.info("TLS with {} failed: {}", channel.socket().getRemoteSocketAddress(), e.getMessage());
            disconnect("TLS handshake failed");
        } catch (IOException e) {
            disconnect("Read error: " + e.getMessage());
        }
        if (tls != null) {
            // a handshake step may have let queued output through, or be waiting to be sent
            flush();
        } else {
            afterEvent();
        }
    }

    /** The socket can take output: what waits for it is flushed (and a TLS read that had to write first resumes). */
    void onWritable() {
        if (tls != null && tls.readNeedsWrite()) {
            onReadable();
        }
        flush();
    }

    void checkPasswordsWith(forkchat.chat.PasswordChecker checker) {
        session.checkPasswordsWith(checker);
    }

    /** A password check this session asked for is back (on the loop thread). */
    void passwordChecked(java.util.function.Consumer<Boolean> done, boolean matched) {
        if (!closed) {
            done.accept(matched);
            afterEvent();
        }
    }

    /** A ring: read the log from this client's cursor to its end. */
    void catchUp() {
        if (!closed) {
            session.catchUp();
            afterEvent();
        }
    }

    /** Once a second: the session's timers, and the check for a client that reads nothing. */
    void tick(long now) {
        if (closed) {
            return;
        }
        session.tick();
        if (stuckSince != 0 && now - stuckSince > sendTimeoutNanos) {
            disconnect("Write timeout: client read nothing for " + (now - stuckSince) / 1_000_000_000L + " seconds");
            return;
        }
        afterEvent();
    }

    void shutdown(String reason) {
        if (!closed) {
            session.onServerShutdown(reason);
            afterEvent();
        }
    }

    /** When reading may resume after a flood-control pause (System.nanoTime()), or 0. */
    long readPausedUntil() {
        return readPausedUntil;
    }

    /** Called by the loop once the pause is over. */
    void resumeReading() {
        readPausedUntil = 0;
        updateInterest();
        if (tls != null) {
            onReadable(); // lines may wait decrypted inside TLS, where the selector cannot see them
        }
    }

    private void updateInterest() {
        if (!closed && key.isValid()) {
            boolean wantRead = readPausedUntil == 0 || (tls != null && tls.writeNeedsRead());
            boolean wantWrite = stuckSince != 0 || (tls != null && tls.readNeedsWrite());
            int ops = (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0);
            key.interestOps(ops);
        }
    }

    /** Writes what the socket takes; asks for OP_WRITE while output is left over. */
    void flush() {
        if (closed) {
            return;
        }
        if (tls != null && !tls.established() && session.isClosed()) {
            close(); // ended before its TLS handshake (registration timeout, shutdown): no one to tell
            return;
        }
        try {
            boolean all = outbox.flush(io);
            if (all) {
                stuckSince = 0;
            } else if (stuckSince == 0) {
                stuckSince = System.nanoTime();
            }
            updateInterest();
        } catch (IOException e) {
            disconnect("Write error: " + e.getMessage());
            return;
        }
        if (outbox.overflowed()) {
            disconnect("SendQ exceeded");
        } else if (outbox.drainedAndClosing()) {
            lingeringClose();
        }
    }

    /** After any event: output was probably produced; the loop flushes dirty connections. */
    private void afterEvent() {
        if (!closed && (outbox.overflowed() || session.isClosed())) {
            flush();
        }
    }

    private void disconnect(String reason) {
        session.onDisconnect(reason);
        close();
    }

    /**
     * Closes the socket at once (also a lingering one) and, if not done yet, ends the connection:
     * the log view is closed and the loop told; the session has appended its Quit before.
     */
    void close() {
        closeSocket();
        release();
    }

    /**
     * The session's last words are written: close_notify (TLS) and FIN after them, then linger
     * (read and discard) until the client closes too, falls quiet or the time is up. The
     * connection ends for the loop now; only its socket is left, which {@link #lingerOver} closes.
     */
    private void lingeringClose() {
        try {
            if (tls != null && !tls.closeNotify()) {
                close(); // close_notify did not fit into the socket: no orderly end to wait for
                return;
            }
            channel.shutdownOutput();
            key.interestOps(SelectionKey.OP_READ);
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
            close();
            return;
        }
        long now = System.nanoTime();
        lingerUntil = now + TimeUnit.MILLISECONDS.toNanos(ClientConnection.LINGER_MILLIS);
        quietUntil = now + TimeUnit.MILLISECONDS.toNanos(ClientConnection.LINGER_QUIET_MILLIS);
        readPausedUntil = 0;
        release();
        discard(); // what came meanwhile (flood control may have left it unread)
    }

    /** Lingering: reads what the socket has and drops it; closes at EOF or past the byte limit. */
    private void discard() {
        if (socketClosed) {
            return;
        }
        try {
            // a bounded share of the loop per event: a client that keeps sending is read again next turn
            for (int i = 0; i < 8; i++) {
                input.clear();
                int n = channel.read(input); // raw bytes: TLS records are not decrypted any more
                if (n < 0 || discarded + n >= ClientConnection.LINGER_MAX_BYTES) {
                    closeSocket();
                    return;
                }
                if (n == 0) {
                    return;
                }
                discarded += n;
                quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ClientConnection.LINGER_QUIET_MILLIS);
            }
        } catch (IOException e) {
            closeSocket();
        }
    }

    /** Whether this connection lingers (its socket half-closed, still read); false once closed. */
    boolean isLingering() {
        return lingerUntil != 0 && !socketClosed;
    }

    /** When {@link #lingerOver} should be asked next (System.nanoTime()). */
    long lingerDeadline() {
        return quietUntil - lingerUntil < 0 ? quietUntil : lingerUntil;
    }

    /** Called by the loop on every turn while lingering: closes the socket once its time is up; true when closed. */
    boolean lingerOver(long now) {
        if (!socketClosed && (now - lingerUntil >= 0 || now - quietUntil >= 0)) {
            closeSocket();
        }
        return socketClosed;
    }

    private void closeSocket() {
        if (socketClosed) {
            return;
        }
        socketClosed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            io.close();
        } catch (IOException e) {
            log.debug("closing a client socket: {}", e.getMessage());
        }
    }

    /** The connection's end for the loop and the log: once, whether or not its socket lingers. */
    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        view.close();
        onClosed.accept(this);
    }

    boolean isClosed() {
        return closed;
    }
}
