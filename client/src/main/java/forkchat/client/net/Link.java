package forkchat.client.net;

import forkchat.client.irc.Session;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a {@link Session} connected: connects, feeds it every line the server sends, and when
 * the connection ends, waits as the {@link Backoff} says and connects again, until the session
 * no longer wants to (the user quit, registration failed for good) or {@link #stop} is called.
 *
 * <p>Everything blocks: the reading thread sleeps in {@code read()} while the server is quiet,
 * and in a condition wait between attempts, so an idle client uses no CPU. The read timeout is
 * the keepalive: after {@code idle} without a line the session pings the server, and after a
 * second {@code idle} the connection is declared dead (a laptop that slept, a NAT that forgot).
 */
public final class Link implements Runnable {

    /** Silence after which the server is pinged, and after which a second time it is given up. */
    public static final Duration IDLE = Duration.ofSeconds(90);

    private final Dialer dialer;
    private final Session session;
    private final Backoff backoff;
    private final Duration idle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Connection current;
    private boolean stopped;
    private boolean hurry;

    public Link(Dialer dialer, Session session, Backoff backoff, Duration idle) {
        this.dialer = dialer;
        this.session = session;
        this.backoff = backoff;
        this.idle = idle;
    }

    /** Runs the link on a daemon thread of its own. */
    public Thread start() {
        return Thread.ofPlatform().daemon().name("forkchat-link").start(this);
    }

    @Override
    public void run() {
        try {
            boolean announce = true;
            while (!isStopped() && session.wantsReconnect()) {
                if (announce) {
                    session.connecting(dialer.address().toString());
                }
                Connection connection;
                try {
                    connection = dialer.connect();
                } catch (IOException e) {
                    Duration delay = delay();
                    session.connectFailed(dialer.address().toString(), describe(e), delay);
                    announce = false;
                    if (delay == null || !pause(delay)) {
                        break;
                    }
                    continue;
                }
                String reason = serve(connection);
                Duration delay = isStopped() || !session.wantsReconnect() ? null : delay();
                session.disconnected(reason, delay);
                announce = true;
                if (delay == null || !pause(delay)) {
                    break;
                }
            }
        } finally {
            finished.countDown();
        }
    }

    /** Reads the connection until it ends; returns why it ended. */
    private String serve(Connection connection) {
        lock.lock();
        try {
            if (stopped) {
                connection.close();
                return "stopped";
            }
            current = connection;
        } finally {
            lock.unlock();
        }
        try {
            connection.setReadTimeout((int) idle.toMillis());
            session.connected(connection);
            boolean pinged = false;
            boolean reset = false;
            while (true) {
                String line;
                try {
                    line = connection.readLine();
                } catch (SocketTimeoutException e) {
                    if (pinged) {
                        return "no reply from the server for " + idle.toSeconds() * 2 + " s";
                    }
                    pinged = true;
                    session.idle();
                    continue;
                }
                if (line == null) {
                    return "the server closed the connection";
                }
                pinged = false;
                session.receive(line);
                if (!reset && session.isOnline()) {
                    reset = true;
                    backoff.reset();
                }
            }
        } catch (IOException e) {
            return isStopped() ? "closed" : describe(e);
        } finally {
            connection.close();
            lock.lock();
            try {
                current = null;
            } finally {
                lock.unlock();
            }
        }
    }

    private Duration delay() {
        lock.lock();
        try {
            if (hurry) {
                hurry = false;
                backoff.reset();
                return Duration.ofMillis(1);
            }
        } finally {
            lock.unlock();
        }
        return backoff.next();
    }

    /** Waits {@code delay} unless woken; false when stopped. */
    private boolean pause(Duration delay) {
        lock.lock();
        try {
            long left = delay.toNanos();
            while (!stopped && !hurry && left > 0) {
                left = wake.awaitNanos(left);
            }
            hurry = false;
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the current connection (if any) and connects again at once (/reconnect). */
    public void reconnectNow() {
        session.clearFailure();
        lock.lock();
        try {
            hurry = true;
            wake.signalAll();
            if (current != null) {
                current.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the link: closes the connection and does not connect again. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
            if (current != null) {
                current.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the link to end by itself (the server closing after QUIT); true if it did. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the link has ended (it will not connect again). */
    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException) {
            return message == null ? kind : message;
        }
        return message == null ? kind : message + " (" + kind + ")";
    }
}
