package forkchat.worker;

import forkchat.chat.ClientSink;
import forkchat.chat.LineFramer;
import forkchat.chat.Session;
import forkchat.ipc.WakeUp;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection, served by two flows of control over one {@link Session}:
 *
 * <ul>
 * <li>the <b>reader</b> reads bytes, frames them into lines and hands each to the session (which
 *     may append to the log and then catch up, so its own events come back at once);</li>
 * <li>the <b>sender</b> (the thread that calls {@link #serve}) waits on its {@link WakeUp}: a
 *     doorbell ring, a line queued by the reader, or the safety timeout. Each time, it catches the
 *     session up with the log, runs its timers, and writes the queued output to the socket.</li>
 * </ul>
 *
 * Invariants: every call into the session holds {@code sessionLock} (the session is not
 * thread-safe); the lock is never held across socket I/O, so a client that does not read stalls
 * only its own sender, never its reader or the log; only the sender writes to the socket; the
 * socket is closed on every path out of {@link #serve}.
 *
 * <p>A client that stops reading stops being caught up: its cursor in the log lags instead of
 * its memory growing; output queued meanwhile is bounded by the {@link Outbox}. Once the socket
 * buffers are full the sender blocks in write(2), where no timer can reach it; so the reader
 * reads with a one-second timeout and, when the sender has been stuck in one write for longer
 * than {@code sendTimeout}, cuts the client off ("Write timeout") by closing the socket, which
 * wakes the sender.
 *
 * <p><b>TLS.</b> With an {@link SSLContext}, the same two flows run over an {@link SSLSocket}
 * layered on the accepted socket (the JDK's TLS, in server mode). The reader runs the handshake
 * before its first read; until it is done the sender writes nothing (the session has nothing to
 * say before the client's first line anyway), so that a client that never finishes its
 * handshake cannot hold the sender in a write: the session's registration timeout ends it, and
 * the sender closes the socket under the waiting reader.
 */
public final class ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** The doorbell's safety net: with no ring, the log is read and the timers run this often. */
    static final long SAFETY_TIMEOUT_MILLIS = 1000;

    /** How often a reader with nothing to read looks whether the sender is stuck. */
    static final long READ_TIMEOUT_MILLIS = 1000;

    private final SocketChannel channel;
    /** The TLS layer over {@code channel}, or null for a plain connection. */
    private final SSLSocket tls;
    private final InputStream input;
    private final WritableByteChannel output;
    /** Whether the sender may write: always for plain text, after the handshake for TLS. */
    private volatile boolean writable;
    private final WakeUp bell;
    private final Outbox outbox;
    private final Session session;
    private final ReentrantLock sessionLock = new ReentrantLock();
    private final long sendTimeoutNanos;
    private volatile String endReason;
    /** System.nanoTime() when the sender began its current write to the socket; 0 when not writing. */
    private volatile long writingSince;
    /** The sender's thread, once {@link #serve} runs. */
    private volatile Thread sender;

    /**
     * @param bell        rung by the doorbell's receiver and by the outbox
     * @param sendTimeout how long one write may stay blocked on a client that reads nothing
     * @param session     builds the session over the given sink (the host knows the rest)
     */
    public ClientConnection(SocketChannel channel, WakeUp bell, Duration sendTimeout,
                            Function<ClientSink, Session> session) throws IOException {
        this(channel, null, bell, sendTimeout, session);
    }

    /** @param tls the server's TLS context for a connection to the TLS listener, or null for plain text */
    public ClientConnection(SocketChannel channel, SSLContext tls, WakeUp bell, Duration sendTimeout,
                            Function<ClientSink, Session> session) throws IOException {
        this.channel = channel;
        if (tls == null) {
            this.tls = null;
            this.input = channel.socket().getInputStream();
            this.output = channel;
            this.writable = true;
        } else {
            // Server mode. The TCP socket is closed by this class only (closeChannel), never by
            // the TLS layer on a failed handshake: in a fork worker, closing it also points
            // stderr at /dev/null (the JDK's inherited channel), and the failure would go unlogged.
            this.tls = (SSLSocket) tls.getSocketFactory().createSocket(channel.socket(), null, false);
            this.tls.setUseClientMode(false);
            this.input = this.tls.getInputStream();
            this.output = Channels.newChannel(this.tls.getOutputStream());
        }
        this.bell = bell;
        this.sendTimeoutNanos = sendTimeout.toNanos();
        this.outbox = new Outbox(this::outputQueued);
        this.session = session.apply(outbox);
    }

    /**
     * Serves the client until the session ends; the reader runs on a thread from
     * {@code readerThreads}, the sender on the calling thread. Returns why it ended.
     */
    public String serve(ThreadFactory readerThreads) {
        sender = Thread.currentThread();
        Thread reader = readerThreads.newThread(this::readLoop);
        reader.start();
        try {
            sendLoop();
        } finally {
            closeChannel();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return endReason == null ? "closed" : endReason;
    }

    /** The server is stopping: the client is told why and the connection closes. Any thread. */
    public void shutdown(String reason) {
        withSession(() -> session.onServerShutdown(reason));
        end(reason);
    }

    /** Closes the socket at once (a forced stop): both threads end, the session's Quit is written. */
    public void abort(String reason) {
        disconnected(reason);
        closeChannel();
    }

    private void readLoop() {
        byte[] buffer = new byte[8192];
        LineFramer framer = new LineFramer(new LineFramer.Handler() {
            @Override
            public void line(byte[] line) {
                withSession(() -> session.onLine(line));
            }

            @Override
            public void tooLong() {
                withSession(session::onLineTooLong);
            }
        });
        try {
            if (tls != null && !handshake()) {
                return;
            }
            // The socket adaptor's stream gives reads a timeout, which the channel has not.
            channel.socket().setSoTimeout((int) READ_TIMEOUT_MILLIS);
            InputStream in = input;
            while (endReason == null) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    n = 0;
                }
                // After every read, not only on a quiet one: a client that keeps writing but
                // never reads must not escape the check.
                if (cutOffIfStuckWriting()) {
                    return;
                }
                if (n < 0) {
                    disconnected("Remote host closed the connection");
                    return;
                }
                if (n == 0) {
                    continue;
                }
                framer.feed(ByteBuffer.wrap(buffer, 0, n));
                if (isSessionClosed()) {
                    end("session ended");
                    return;
                }
                // Flood control: the session says how long this client must wait before it is
                // read again; bursts are delayed here, sustained floods cut off by the session.
                long delay = readDelay();
                if (delay > 0) {
                    Thread.sleep(delay);
                }
            }
        } catch (ClosedChannelException e) {
            // the sender closed the socket: the connection is over already
        } catch (IOException e) {
            if (endReason == null) {
                disconnected("Read error: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnected("Server interrupted");
        }
    }

    /**
     * The TLS handshake, on the reader. It waits without a timeout of its own: a client that
     * stalls it is ended by the registration timeout, whose closing of the socket ends this wait.
     * Returns whether the connection may go on.
     */
    private boolean handshake() {
        try {
            channel.socket().setSoTimeout(0);
            tls.startHandshake();
        } catch (IOException e) {
            if (endReason == null) {
                log.info("TLS handshake with {} failed: {}", channel.socket().getRemoteSocketAddress(), e.getMessage());
                disconnected("TLS handshake failed");
            }
            return false;
        }
        writable = true;
        bell.ring(); // anything queued meanwhile can go now
        return true;
    }

    /** Cuts the client off if the sender has been stuck in one write too long; true if it did. */
    private boolean cutOffIfStuckWriting() {
        long since = writingSince;
        if (since != 0 && System.nanoTime() - since > sendTimeoutNanos) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
            log.info("client {} read nothing for {} s while output waited; disconnecting", session.nick(), seconds);
            disconnected("Write timeout: client read nothing for " + seconds + " seconds");
            closeChannel();
            return true;
        }
        return false;
    }

    private long readDelay() {
        sessionLock.lock();
        try {
            return session.readDelayMillis();
        } finally {
            sessionLock.unlock();
        }
    }

    private void sendLoop() {
        while (sendOnce()) {
            // one wake-up each: a ring, a queued line or the safety timeout
        }
    }

    /**
     * One turn of the sender: wait, catch up, write. Returns false once the connection is over.
     * A method of its own, not the loop's body, so that the JIT compiles it after a few hundred
     * turns (a loop in a method that is called once is only compiled on stack replacement, after
     * tens of thousands of iterations: until then every ring ran in the interpreter).
     */
    private boolean sendOnce() {
        try {
            bell.await(SAFETY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnected("Server interrupted");
            return false;
        }
        withSession(() -> {
            session.catchUp();
            session.tick();
        });
        if (!writable) {
            // TLS handshake still under way: nothing may be written yet
            if (endReason != null || isSessionClosed()) {
                end("session ended");
                return false;
            }
            return true;
        }
        try {
            writingSince = System.nanoTime();
            outbox.flush(output);
        } catch (IOException e) {
            disconnected("Write error: " + e.getMessage());
            return false;
        } finally {
            writingSince = 0;
        }
        if (outbox.overflowed()) {
            disconnected("SendQ exceeded");
            return false;
        }
        if (endReason != null || outbox.drainedAndClosing() || isSessionClosed()) {
            // flush what the session said last (its ERROR line) before the socket closes
            try {
                outbox.flush(output);
            } catch (IOException ignored) {
                // the client is gone; nothing more to tell it
            }
            end("session ended");
            return false;
        }
        return true;
    }

    /**
     * The outbox has a line to write. Queued by another thread (the reader's replies, a
     * shutdown), it must wake the sender; queued by the sender itself (delivering what a ring
     * brought), it is flushed in the same turn, and a ring would only cost a second, empty turn:
     * a signal and a read of the log per delivered message.
     */
    private void outputQueued() {
        if (Thread.currentThread() != sender) {
            bell.ring();
        }
    }

    /** The client went away (or must be cut off): the session appends its Quit. */
    private void disconnected(String reason) {
        if (endReason == null) {
            withSession(() -> session.onDisconnect(reason));
        }
        end(reason);
    }

    private void end(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
        bell.ring();
    }

    private boolean isSessionClosed() {
        sessionLock.lock();
        try {
            return session.isClosed();
        } finally {
            sessionLock.unlock();
        }
    }

    /** Runs {@code action} on the session under its lock; a failure is logged, never thrown. */
    private void withSession(Runnable action) {
        sessionLock.lock();
        try {
            action.run();
        } catch (RuntimeException e) {
            log.error("session {} failed: {}", session.nick(), e.toString(), e);
        } finally {
            sessionLock.unlock();
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing client socket: {}", e.getMessage());
        }
    }
}
