package forkchat.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every server, load generator and cgroup the bench has started or made and not yet stopped or
 * removed. If the bench is interrupted (Ctrl-C, SIGTERM), a shutdown hook kills the processes and
 * removes the groups: a benchmark must never leave a server or a hundred worker JVMs running.
 *
 * <p>The bench's own thread keeps running while the hook does: anything it starts after the hook
 * has begun is killed on the spot ({@link #add} refuses it), so nothing slips past the clean-up.
 */
final class LiveProcesses {

    private static final Set<Object> LIVE = new LinkedHashSet<>();
    private static boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LiveProcesses::killAll, "bench-cleanup"));
    }

    private LiveProcesses() {
    }

    static void add(ServerProcess server) {
        if (!register(server)) {
            server.killNow();
            throw new IllegalStateException("the bench is shutting down");
        }
    }

    static void add(Process load) {
        if (!register(load)) {
            load.destroyForcibly();
            throw new IllegalStateException("the bench is shutting down");
        }
    }

    static void add(Cgroup group) {
        if (!register(group)) {
            group.close();
            throw new IllegalStateException("the bench is shutting down");
        }
    }

    private static synchronized boolean register(Object o) {
        if (shuttingDown) {
            return false;
        }
        LIVE.add(o);
        return true;
    }

    static synchronized void remove(Object o) {
        LIVE.remove(o);
    }

    private static void killAll() {
        List<Object> all;
        synchronized (LiveProcesses.class) {
            shuttingDown = true;
            all = new ArrayList<>(LIVE);
        }
        for (Object o : all) {
            if (o instanceof ServerProcess s) {
                s.killNow();
            } else if (o instanceof Process p) {
                p.destroyForcibly();
            }
        }
        // a cgroup can only be removed once its processes are gone: give the kills a moment
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (Object o : all) {
            if (o instanceof Cgroup g) {
                while (!g.pids().isEmpty() && System.nanoTime() - deadline < 0) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                g.close();
            }
        }
    }
}
