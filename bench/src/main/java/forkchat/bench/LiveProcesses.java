package forkchat.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every server and load generator the bench has started and not yet stopped. If the bench is
 * interrupted (Ctrl-C, SIGTERM), a shutdown hook kills them all: a benchmark must never leave a
 * server or a hundred worker JVMs running.
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
    }
}
