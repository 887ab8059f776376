package forkchat.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The fallback CPU clock when no cgroup can be made: the sum of every thread's nanosecond
 * runtime ({@code /proc/PID/task/TID/schedstat}) over every process of the server's tree. A
 * thread or process that disappears keeps the runtime it had when last seen, so the clock never
 * runs backwards and an exited worker still counts (up to its last sampling interval).
 *
 * <p>Its blind spot, said plainly: a thread that starts and ends between two readings is never
 * seen. The JDK starts such a thread for every signal it delivers to a Java handler, so this
 * clock under-counts the fork model's rings. The cgroup clock has no blind spot, and the bench
 * also reports a tick-based cross-check over the whole window ({@link TickCheck}).
 */
final class TreeCpuClock implements CpuClock {

    private final Supplier<List<Long>> members;
    /** Last runtime seen per thread id. */
    private final Map<Long, Long> lastSeen = new HashMap<>();
    /** Runtime of threads no longer seen. */
    private long departed;

    TreeCpuClock(Supplier<List<Long>> members) {
        this.members = members;
    }

    @Override
    public synchronized long nanos() {
        Set<Long> alive = new HashSet<>();
        long live = 0;
        for (long pid : members.get()) {
            for (long[] t : ProcFs.threadRuntimes(pid)) {
                alive.add(t[0]);
                Long before = lastSeen.get(t[0]);
                // a reused tid would start from 0: keep what the old thread had
                if (before != null && t[1] < before) {
                    departed += before;
                }
                lastSeen.put(t[0], t[1]);
                live += t[1];
            }
        }
        var it = lastSeen.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!alive.contains(e.getKey())) {
                departed += e.getValue();
                it.remove();
            }
        }
        return departed + live;
    }

    @Override
    public String source() {
        return "schedstat";
    }
}
