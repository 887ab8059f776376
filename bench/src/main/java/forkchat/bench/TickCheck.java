package forkchat.bench;

import java.util.List;

/**
 * A cross-check of the fine CPU clocks over a whole measured window, from the kernel's own
 * per-process totals in /proc/PID/stat: utime + stime of every live process of the tree (dead
 * threads included) plus the root's cutime + cstime (children it has reaped). Each total has
 * 10 ms resolution, so over a window of many seconds the error is small, while per 500 ms
 * sample it would be rounding. Reaped children are only those of the root: a grandchild reaped
 * by a worker is in that worker's cutime, which this does not add (forkchat's workers have no
 * children).
 */
final class TickCheck {

    private TickCheck() {
    }

    /** The tree's CPU time so far in ticks: live processes' own time plus the root's reaped children. */
    static long ticks(long root, List<Long> members) {
        long total = 0;
        for (long pid : members) {
            String[] f = ProcFs.stat(pid);
            if (f == null) {
                continue;
            }
            total += ProcFs.statOwnTicks(f);
            if (pid == root) {
                total += ProcFs.statReapedTicks(f);
            }
        }
        return total;
    }

    /** Percent of one core between two tick readings {@code wallNanos} apart. */
    static double percent(long ticksBefore, long ticksAfter, long wallNanos) {
        if (wallNanos <= 0) {
            return Double.NaN;
        }
        double cpuNanos = (ticksAfter - ticksBefore) * (1e9 / ProcFs.TICKS_PER_SECOND);
        return 100.0 * cpuNanos / wallNanos;
    }
}
