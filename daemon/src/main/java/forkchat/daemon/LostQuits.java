package forkchat.daemon;

import forkchat.chat.Event;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quit records the supervisor owes the log: for a session whose worker died without writing one,
 * and for one whose Quit the log refused (disk full, I/O error). Until such a Quit is stored,
 * every other client sees the user still present and its nick taken, so one that cannot be
 * appended now is not dropped: it is kept, in order, and tried again every
 * {@value #RETRY_MILLIS} ms until the log takes it (when space returns) or the daemon stops (the
 * next start's server-start record ends every presence anyway).
 */
final class LostQuits implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LostQuits.class);

    /** How often Quits the log refused are tried again. */
    static final long RETRY_MILLIS = 1_000;

    private final Predicate<Event> append;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Event.Quit> pending = new ArrayDeque<>();
    private Thread retrier;
    private boolean closed;

    /** @param append appends and rings; false when the log refused the record */
    LostQuits(Predicate<Event> append) {
        this.append = append;
    }

    /** Appends {@code quit} now, or (when the log refuses it, or earlier ones wait) later, in order. */
    void add(Event.Quit quit) {
        lock.lock();
        try {
            if (closed) {
                log.warn("stopping: the Quit of session {} is not written", quit.session());
                return;
            }
            if (pending.isEmpty() && append.test(quit)) {
                return;
            }
            pending.addLast(quit);
            log.warn("the Quit of session {} waits until the log takes it ({} waiting)", quit.session(), pending.size());
            if (retrier == null) {
                retrier = Thread.ofPlatform().daemon().name("lost-quits").start(this::retry);
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many Quits wait for the log. */
    int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    private void retry() {
        lock.lock();
        try {
            while (!closed) {
                while (!pending.isEmpty() && append.test(pending.peekFirst())) {
                    Event.Quit stored = pending.removeFirst();
                    log.info("the Quit of session {} is stored ({} still waiting)", stored.session(), pending.size());
                }
                work.await(RETRY_MILLIS, TimeUnit.MILLISECONDS); // the retry period
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops retrying; Quits still waiting are given up (logged). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (!pending.isEmpty()) {
                log.warn("stopping with {} Quits the log never took", pending.size());
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
