package forkchat.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every server, load generator and cgroup the bench has started or made and not yet stopped or
 * removed. If the bench is interrupted (Ctrl-C, SIGTERM), a shutdown hook kills the processes and
 * removes the groups: a benchmark must never leave a server or a hundred worker JVMs running.
 */
final class LiveProcesses {

    private static final Set<Object> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LiveProcesses::killAll, "bench-cleanup"));
    }

    private LiveProcesses() {
    }

    static void add(ServerProcess server) {
        LIVE.add(server);
    }

    static void add(Cgroup group) {
        LIVE.add(group);
    }

    static void add(Process load) {
        LIVE.add(load);
    }

    static void remove(Object o) {
        LIVE.remove(o);
    }

    private static void killAll() {
        for (Object o : LIVE) {
            if (o instanceof ServerProcess s) {
                s.killNow();
            } else if (o instanceof Process p) {
                p.destroyForcibly();
            }
        }
        // a cgroup can only be removed once its processes are gone: give the kills a moment
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (Object o : LIVE) {
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
