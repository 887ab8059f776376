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
import java.util.concurrent.locks.LockSupport;
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
 *
 * <p><b>Lingering close.</b> When the session ends with last words for the client (the ERROR line
 * of a QUIT, a shutdown, a timeout), the sender writes them, sends close_notify (TLS), and
 * half-closes the socket ({@code shutdownOutput}: FIN after the data), while the reader goes on
 * reading and discarding what the client still sends, until the client closes too (EOF), falls
 * quiet for {@link #LINGER_QUIET_MILLIS}, or {@link #LINGER_MILLIS} have passed; only then is the
 * socket closed. Closing a socket with unread input at once makes the kernel abort the connection
 * (RST) and drop what it has not transmitted yet: the ERROR line, typically, which Nagle's
 * algorithm holds back while the client has not acknowledged the line before it (a delayed ACK).
 * A client that kept writing until the end would then read the line before, and a reset.
 */
public final class ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** The doorbell's safety net: with no ring, the log is read and the timers run this often. */
    static final long SAFETY_TIMEOUT_MILLIS = 1000;

    /** How often a reader with nothing to read looks whether the sender is stuck. */
    static final long READ_TIMEOUT_MILLIS = 1000;

    /** Lingering close: the longest the socket stays open after the sender's half-close. */
    static final long LINGER_MILLIS = 2000;

    /** Lingering close: it ends sooner once the client has sent nothing for this long. */
    static final long LINGER_QUIET_MILLIS = 500;

    /** Lingering close: it ends sooner once this much input has been discarded. */
    static final long LINGER_MAX_BYTES = 1 << 20;

    /** How one turn of the sender ended. */
    private enum Turn {
        /** the connection goes on */
        AGAIN,
        /** the session is over and its last words are written: lingering close */
        LINGER,
        /** the connection is broken, or the client must not be waited for: close at once */
        CLOSE
    }

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
    /** The reader's thread, once {@link #serve} runs. */
    private volatile Thread reader;
    /** System.nanoTime() when the reader last discarded input (lingering close); 0 before. */
    private volatile long lastDiscarded;

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
        this.reader = reader;
        reader.start();
        boolean linger = false;
        try {
            linger = sendLoop();
        } finally {
            if (linger) {
                linger(reader);
            }
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
        boolean drain = false;
        try {
            if (tls != null && !handshake()) {
                return;
            }
            // The socket adaptor's stream gives reads a timeout, which the channel has not.
            channel.socket().setSoTimeout((int) READ_TIMEOUT_MILLIS);
            InputStream in = input;
            while (endReason == null) {
                int n = readWithin(in, buffer);
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
                if (endReason != null) {
                    lastDiscarded = System.nanoTime(); // the closed session drops it: the linger's input
                }
                framer.feed(ByteBuffer.wrap(buffer, 0, n));
                if (isSessionClosed()) {
                    end("session ended");
                    break;
                }
                // Flood control: the session says how long this client must wait before it is
                // read again; bursts are delayed here, sustained floods cut off by the session.
                long delay = readDelay();
                if (delay > 0) {
                    pause(delay);
                }
            }
            drain = true; // ended by the session or the server, the socket still open
        } catch (ClosedChannelException e) {
            // the sender closed the socket: the connection is over already
        } catch (IOException e) {
            if (endReason == null) {
                disconnected("Read error: " + e.getMessage());
            } else {
                drain = true; // ended meanwhile; the drain stops at once if the socket is gone
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnected("Server interrupted");
        }
        if (drain) {
            discardUntilClosed(buffer);
        }
    }

    /** One read bounded by the socket's read timeout: 0 when nothing came within it. */
    private static int readWithin(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    /**
     * Flood control's wait before the next read. It ends early when the connection ends
     * ({@link #end} unparks the reader), so that the reader drains the socket at once.
     */
    private void pause(long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (endReason == null && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * The session is over but the socket is open: the reader's part of the lingering close. What
     * the client still sends is read and dropped (raw bytes, TLS records undecrypted), so that the
     * socket is not closed with unread input; a sender stuck in its last write is cut off as
     * before. It ends at EOF, after {@link #LINGER_MAX_BYTES}, or when the sender closes the socket
     * (it times the lingering: {@link #linger}).
     */
    private void discardUntilClosed(byte[] buffer) {
        long discarded = 0;
        try {
            InputStream raw = channel.socket().getInputStream(); // its reads time out as the loop's did
            while (discarded < LINGER_MAX_BYTES) {
                int n = readWithin(raw, buffer);
                if (cutOffIfStuckWriting() || n < 0) {
                    return;
                }
                if (n > 0) {
                    discarded += n;
                    lastDiscarded = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // closed by the sender, or reset by the client: nothing left to drain
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

    /** The sender's turns until the connection is over; true if it should linger before closing. */
    private boolean sendLoop() {
        Turn turn;
        do {
            turn = sendOnce(); // one wake-up each: a ring, a queued line or the safety timeout
        } while (turn == Turn.AGAIN);
        return turn == Turn.LINGER;
    }

    /**
     * One turn of the sender: wait, catch up, write. Returns whether the connection goes on, and
     * if not, how it should close.
     * A method of its own, not the loop's body, so that the JIT compiles it after a few hundred
     * turns (a loop in a method that is called once is only compiled on stack replacement, after
     * tens of thousands of iterations: until then every ring ran in the interpreter).
     */
    private Turn sendOnce() {
        try {
            bell.await(SAFETY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnected("Server interrupted");
            return Turn.CLOSE;
        }
        withSession(() -> {
            session.catchUp();
            session.tick();
        });
        if (!writable) {
            // TLS handshake still under way: nothing may be written yet
            if (endReason != null || isSessionClosed()) {
                end("session ended");
                return Turn.CLOSE; // nobody to tell anything: the handshake is not done
            }
            return Turn.AGAIN;
        }
        try {
            write();
        } catch (IOException e) {
            disconnected("Write error: " + e.getMessage());
            return Turn.CLOSE;
        }
        if (outbox.overflowed()) {
            disconnected("SendQ exceeded");
            return Turn.CLOSE;
        }
        if (endReason != null || outbox.drainedAndClosing() || isSessionClosed()) {
            // flush what the session said last (its ERROR line) before the socket closes
            try {
                write();
            } catch (IOException ignored) {
                end("session ended");
                return Turn.CLOSE; // the client is gone; nothing more to tell it
            }
            end("session ended");
            return Turn.LINGER;
        }
        return Turn.AGAIN;
    }

    /** Writes the queued output, watched by the reader for a client that reads nothing. */
    private void write() throws IOException {
        try {
            writingSince = System.nanoTime();
            outbox.flush(output);
        } finally {
            writingSince = 0;
        }
    }

    /**
     * The sender's part of the lingering close (see the class comment): close_notify for TLS, then
     * FIN after everything written, then a wait while the reader discards what the client still
     * sends: until the reader is done (EOF), or the client has sent nothing for
     * {@link #LINGER_QUIET_MILLIS}, or {@link #LINGER_MILLIS} have passed. The caller then closes
     * the socket, which ends the reader's read.
     */
    private void linger(Thread reader) {
        try {
            writingSince = System.nanoTime(); // close_notify is a write, as stuck as any on a full socket
            if (tls != null) {
                tls.shutdownOutput();
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            return; // closed (cut off) or reset meanwhile: nothing to wait for
        } finally {
            writingSince = 0;
        }
        long since = System.nanoTime();
        long deadline = since + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        long quiet = TimeUnit.MILLISECONDS.toNanos(LINGER_QUIET_MILLIS);
        try {
            while (reader.isAlive()) {
                long last = lastDiscarded;
                long quietUntil = (last != 0 && last - since > 0 ? last : since) + quiet;
                long until = quietUntil - deadline < 0 ? quietUntil : deadline;
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                reader.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        Thread r = reader;
        if (r != null) {
            LockSupport.unpark(r); // out of a flood-control pause: the reader drains the socket now
        }
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
