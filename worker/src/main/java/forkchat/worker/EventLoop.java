package forkchat.worker;

import forkchat.chat.PasswordChecker;
import forkchat.chat.SessionObserver;
import forkchat.ipc.LocalDoorbell;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event model: one thread and one {@link Selector} serve every client, with non-blocking
 * sockets. Each client is an {@link EventConnection} (framing, session, output, the same pieces
 * as the threaded models). A ring of the {@link LocalDoorbell} sets a flag and wakes the
 * selector; the loop then catches every client up with the log (level-triggered: each reads
 * from its own cursor to the end, so merged rings lose nothing). Timers run once a second.
 *
 * <p>Other threads talk to the loop only through its task queue ({@link #serve},
 * {@link #shutdown}); everything else is confined to the loop thread. A client's log view is
 * opened and folded by the caller of {@link #serve} (the accepting thread), so a long log never
 * stalls the loop. Appends and log reads are short blocking file calls made on the loop thread,
 * as an event-driven server's disk writes are. Password derivations (0.15 s of CPU each) are not
 * short: they run on a separate thread and come back through the task queue, while the session
 * holds that client's further lines ({@link forkchat.chat.PasswordChecker}).
 */
public final class EventLoop {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Selector selector;
    private final LocalDoorbell doorbell;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Where logins' password derivations run, off the loop: one thread, they are CPU-bound. */
    private final ExecutorService passwordChecks = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("password-check").daemon().factory());
    private final AtomicBoolean rung = new AtomicBoolean();
    private final AtomicInteger clients = new AtomicInteger();
    private final Set<EventConnection> connections = new HashSet<>();
    private final Set<EventConnection> dirty = new LinkedHashSet<>();
    /** Connections whose session is over and whose socket lingers ({@link EventConnection#lingerOver}). */
    private final Set<EventConnection> lingering = new HashSet<>();
    private volatile boolean running = true;
    private Thread thread;

    public EventLoop(LocalDoorbell doorbell) throws IOException {
        this.doorbell = doorbell;
        this.selector = Selector.open();
    }

    public void start() {
        doorbell.register(() -> {
            rung.set(true);
            selector.wakeup();
        });
        thread = Thread.ofPlatform().name("event-loop").start(this::run);
    }

    /**
     * Serves a newly accepted client. Any thread; the log view is opened here, not on the loop.
     * {@code onClosed} runs once when the connection is closed, whatever closed it.
     */
    public void serve(SocketChannel socket, boolean tls, SessionSetup setup, String sessionId, String host,
                      Runnable onClosed, SessionObserver observer) throws IOException {
        SessionSetup.View view = setup.open(doorbell);
        clients.incrementAndGet();
        tasks.add(() -> {
            EventConnection[] self = new EventConnection[1];
            EventConnection c = new EventConnection(socket, tls ? setup.tlsContext() : null, view,
                    setup.sendTimeout().toNanos(),
                    sink -> setup.session(view, sink, observer, sessionId, host, tls),
                    () -> {
                        if (self[0] != null) {
                            dirty.add(self[0]);
                        }
                    }, closed -> {
                        closed(closed);
                        onClosed.run();
                    });
            self[0] = c;
            c.checkPasswordsWith((password, stored, done) -> passwordChecks.execute(() -> {
                boolean matched = PasswordChecker.verifyAndWipe(password, stored);
                tasks.add(() -> c.passwordChecked(done, matched));
                selector.wakeup();
            }));
            connections.add(c);
            try {
                c.register(selector);
                c.catchUp();
            } catch (IOException e) {
                log.warn("cannot serve {}: {}", host, e.getMessage());
                c.close();
            }
        });
        selector.wakeup();
    }

    /** Clients being served (any thread). */
    public int clients() {
        return clients.get();
    }

    /** Tells every client why the server stops; their connections close once that is written. */
    public void shutdown(String reason) {
        tasks.add(() -> {
            for (EventConnection c : new ArrayList<>(connections)) {
                c.shutdown(reason);
            }
        });
        selector.wakeup();
    }

    /** Closes what is left and ends the loop thread. */
    public void stop() throws InterruptedException {
        tasks.add(() -> {
            for (EventConnection c : new ArrayList<>(connections)) {
                c.close();
            }
            for (EventConnection c : lingering) {
                c.close();
            }
            lingering.clear();
            running = false;
        });
        passwordChecks.shutdownNow();
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void closed(EventConnection c) {
        connections.remove(c);
        dirty.remove(c);
        clients.decrementAndGet();
        if (c.isLingering()) {
            lingering.add(c);
        }
    }

    private void run() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        while (running) {
            try {
                long wake = nextTick;
                for (EventConnection c : connections) {
                    long until = c.readPausedUntil();
                    if (until != 0 && until - wake < 0) {
                        wake = until; // a flood-control pause ends before the next tick
                    }
                }
                for (EventConnection c : lingering) {
                    long until = c.lingerDeadline();
                    if (until - wake < 0) {
                        wake = until;
                    }
                }
                long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime()));
                selector.select(wait);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                if (rung.getAndSet(false)) {
                    for (EventConnection c : new ArrayList<>(connections)) {
                        c.catchUp();
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    EventConnection c = (EventConnection) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isReadable()) {
                        c.onReadable();
                    }
                    if (key.isValid() && key.isWritable()) {
                        c.onWritable();
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                lingering.removeIf(c -> c.lingerOver(now));
                for (EventConnection c : connections) {
                    long until = c.readPausedUntil();
                    if (until != 0 && now - until >= 0) {
                        c.resumeReading();
                    }
                }
                if (now - nextTick >= 0) {
                    for (EventConnection c : new ArrayList<>(connections)) {
                        c.tick(now);
                    }
                    nextTick = now + TICK_NANOS;
                }
                while (!dirty.isEmpty()) {
                    EventConnection c = dirty.iterator().next();
                    dirty.remove(c);
                    c.flush();
                }
            } catch (IOException | RuntimeException e) {
                // One client's failure must not end the loop that serves everyone.
                log.error("event loop: {}", e.toString(), e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing the selector: {}", e.getMessage());
        }
    }
}
