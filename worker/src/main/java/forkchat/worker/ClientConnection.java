package forkchat.worker;

import forkchat.chat.ClientSink;
import forkchat.chat.LineFramer;
import forkchat.chat.Session;
import forkchat.ipc.Bell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection, served by two flows of control over one {@link Session}:
 *
 * <ul>
 * <li>the <b>reader</b> reads bytes, frames them into lines and hands each to the session (which
 *     may append to the log and then catch up, so its own events come back at once);</li>
 * <li>the <b>sender</b> (the thread that calls {@link #serve}) waits on the {@link Bell}: a
 *     doorbell ring, a line queued by the reader, or the safety timeout. Each time, it catches the
 *     session up with the log, runs its timers, and writes the queued output to the socket.</li>
 * </ul>
 *
 * Invariants: every call into the session holds {@code sessionLock} (the session is not
 * thread-safe); the lock is never held across socket I/O, so a client that does not read stalls
 * only its own sender, never its reader or the log; only the sender writes to the socket; the
 * socket is closed exactly once, by the sender, on every path out of {@link #serve}.
 *
 * A client that stops reading stops being caught up: its cursor in the log lags instead of its
 * memory growing; output queued meanwhile is bounded by the {@link Outbox}.
 */
public final class ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** The doorbell's safety net: with no ring, the log is read and the timers run this often. */
    static final long SAFETY_TIMEOUT_MILLIS = 1000;

    private final SocketChannel channel;
    private final Bell bell;
    private final Outbox outbox;
    private final Session session;
    private final ReentrantLock sessionLock = new ReentrantLock();
    private volatile String endReason;

    /**
     * @param bell    rung by the doorbell's receiver and by the outbox
     * @param session builds the session over the given sink (the host knows the rest)
     */
    public ClientConnection(SocketChannel channel, Bell bell, Function<ClientSink, Session> session) {
        this.channel = channel;
        this.bell = bell;
        this.outbox = new Outbox(bell);
        this.session = session.apply(outbox);
    }

    /**
     * Serves the client until the session ends; the reader runs on a thread from
     * {@code readerThreads}, the sender on the calling thread. Returns why it ended.
     */
    public String serve(ThreadFactory readerThreads) {
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

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
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
            while (endReason == null) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    disconnected("Remote host closed the connection");
                    return;
                }
                buffer.flip();
                framer.feed(buffer);
                if (isSessionClosed()) {
                    end("session ended");
                    return;
                }
            }
        } catch (ClosedChannelException e) {
            // the sender closed the socket: the connection is over already
        } catch (IOException e) {
            disconnected("Read error: " + e.getMessage());
        }
    }

    private void sendLoop() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(16 * 1024);
        while (true) {
            try {
                bell.await(SAFETY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                disconnected("Server interrupted");
                return;
            }
            withSession(() -> {
                session.catchUp();
                session.tick();
            });
            try {
                outbox.flushTo(channel, scratch);
            } catch (IOException e) {
                disconnected("Write error: " + e.getMessage());
                return;
            }
            if (outbox.overflowed()) {
                disconnected("SendQ exceeded");
                return;
            }
            if (endReason != null || outbox.drainedAndClosing() || isSessionClosed()) {
                // flush what the session said last (its ERROR line) before the socket closes
                try {
                    outbox.flushTo(channel, scratch);
                } catch (IOException ignored) {
                    // the client is gone; nothing more to tell it
                }
                end("session ended");
                return;
            }
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
