package forkchat.worker;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a spare whose supervisor died while the spare was still starting.
 *
 * <p>Once a worker is connected to {@code handoff.sock}, the supervisor's death is an EOF there
 * and the worker leaves at once. Before that — the JVM's start, the log fold, the rehearsal,
 * a second or more on a loaded machine — nothing would tell it: it would warm up for nobody,
 * then find the socket gone. This watch looks every {@link #EVERY} whether the worker's parent
 * is still the supervisor that started it (a dead parent's children are handed to init or a
 * subreaper at once, before it is even reaped) and, if not, exits the JVM with status 0: a
 * spare without a client has nothing to save. It ends when the worker connects.
 */
final class OrphanWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrphanWatch.class);

    /** How often the parent is looked at: a read of /proc (or a sysctl), during warm-up only. */
    static final Duration EVERY = Duration.ofMillis(100);

    private final Thread thread;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong looks = new java.util.concurrent.atomic.AtomicLong();

    /** Watches this process's parent, expected to be {@code supervisorPid}. */
    static OrphanWatch start(long supervisorPid) {
        return new OrphanWatch(supervisorPid, OrphanWatch::parentPid, () -> System.exit(0), EVERY);
    }

    OrphanWatch(long supervisorPid, LongSupplier parent, Runnable leave, Duration every) {
        this.thread = Thread.ofPlatform().daemon().name("orphan-watch").start(() -> {
            while (!closed) {
                long now = parent.getAsLong();
                looks.incrementAndGet();
                if (now != supervisorPid) {
                    if (!closed) {
                        log.info("the supervisor (pid {}) is gone before this spare had a client (parent now {}): leaving",
                                supervisorPid, now);
                        leave.run();
                    }
                    return;
                }
                LockSupport.parkNanos(this, every.toNanos());
            }
        });
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** How many times the parent was looked at. */
    long looks() {
        return looks.get();
    }

    /** Waits until the watch has ended (closed, or left); whether it did within {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    /** Stops watching: from here the handoff connection tells the worker of the supervisor's death. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
