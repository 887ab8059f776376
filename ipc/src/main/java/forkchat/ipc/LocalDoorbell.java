package forkchat.ipc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threaded builds' doorbell: every reader in this JVM registers a wake-up action (its
 * connection's {@link Bell}, or the event loop's selector wake-up), and a ring runs them all.
 * It keeps the fork model's contract: a ring means "read the log to its end", rings merge, and
 * because every reader still reads from its own cursor to EOF, a merged ring loses nothing.
 */
public final class LocalDoorbell implements Doorbell {

    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    /** Adds a wake-up action; returns what removes it again. */
    public AutoCloseable register(Runnable wake) {
        listeners.add(wake);
        return () -> listeners.remove(wake);
    }

    @Override
    public void ring() {
        for (Runnable wake : listeners) {
            wake.run();
        }
    }

    /** Registered listeners (for diagnostics and tests). */
    public int listeners() {
        return listeners.size();
    }
}
