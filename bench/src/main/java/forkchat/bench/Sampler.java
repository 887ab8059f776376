package forkchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples the server under test while the load is measured: its CPU clock every interval
 * (500 ms, as the paper's {@code top}), and every fourth interval its memory, PSS summed over
 * every process of the tree (reading {@code smaps_rollup} walks page tables, so it is done less
 * often than the CPU clock, which is cheap). Each runs on a platform thread of its own, from
 * {@link #start} to {@link #stop}, so a slow memory reading never delays a CPU sample.
 */
final class Sampler {

    static final long INTERVAL_MILLIS = 500;
    private static final int MEMORY_EVERY = 4;
    /** A CPU reading whose surrounding wall times are further apart than this is read again. */
    private static final long MAX_READ_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final CpuClock clock;
    private final Supplier<List<Long>> members;
    private final long root;

    private final List<Long> cpu = new ArrayList<>();
    private final List<Long> wall = new ArrayList<>();
    private final List<Long> pssKb = new ArrayList<>();
    private int maxProcesses;
    private int maxThreads;
    private long ticksBefore;
    private long ticksAfter;
    private long startNanos;
    private long stopNanos;
    private Thread thread;
    private Thread memoryThread;
    private volatile boolean stopping;

    Sampler(CpuClock clock, long root, Supplier<List<Long>> members) {
        this.clock = clock;
        this.root = root;
        this.members = members;
    }

    void start() {
        startNanos = System.nanoTime();
        ticksBefore = TickCheck.ticks(root, members.get());
        thread = Thread.ofPlatform().name("cpu-sampler").daemon().priority(Thread.MAX_PRIORITY).start(this::sampleCpu);
        memoryThread = Thread.ofPlatform().name("memory-sampler").daemon().start(this::sampleMemory);
    }

    /**
     * Every interval, one CPU reading with its wall time. The wall time is read just before and
     * just after the clock; if the sampler was descheduled in between (a saturated machine), the
     * pair would not match, so it reads again (a few times) and keeps the tightest pair.
     */
    private void sampleCpu() {
        long next = System.nanoTime();
        while (!stopping) {
            long bestGap = Long.MAX_VALUE;
            long when = 0;
            long cpuNow = 0;
            for (int attempt = 0; attempt < 5 && bestGap > MAX_READ_GAP_NANOS; attempt++) {
                long before = System.nanoTime();
                long c = clock.nanos();
                long after = System.nanoTime();
                if (after - before < bestGap) {
                    bestGap = after - before;
                    when = before + (after - before) / 2;
                    cpuNow = c;
                }
            }
            synchronized (this) {
                cpu.add(cpuNow);
                wall.add(when);
            }
            next += TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
            if (!sleepUntil(next)) {
                return;
            }
        }
    }

    /** Memory on a thread of its own: reading 60 JVMs' smaps_rollup can take longer than a CPU interval. */
    private void sampleMemory() {
        long next = System.nanoTime();
        while (!stopping) {
            List<Long> pids = members.get();
            long kb = 0;
            int threads = 0;
            for (long pid : pids) {
                kb += ProcFs.pssKb(pid);
                threads += ProcFs.threadCount(pid);
            }
            synchronized (this) {
                pssKb.add(kb);
                maxProcesses = Math.max(maxProcesses, pids.size());
                maxThreads = Math.max(maxThreads, threads);
            }
            next += TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS * MEMORY_EVERY);
            if (!sleepUntil(next)) {
                return;
            }
        }
    }

    private boolean sleepUntil(long deadline) {
        long sleep = deadline - System.nanoTime();
        if (sleep > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    /** Stops sampling (bounded wait) and returns what was measured. */
    Measurement stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        memoryThread.interrupt();
        thread.join(5_000);
        memoryThread.join(5_000);
        stopNanos = System.nanoTime();
        ticksAfter = TickCheck.ticks(root, members.get());
        synchronized (this) {
            long[] c = cpu.stream().mapToLong(Long::longValue).toArray();
            long[] w = wall.stream().mapToLong(Long::longValue).toArray();
            double meanPss = pssKb.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
            double[] pct = CpuStats.percentages(c, w);
            return new Measurement(CpuStats.ofReadings(c, w), pct, clock.source(),
                    TickCheck.percent(ticksBefore, ticksAfter, stopNanos - startNanos),
                    meanPss / 1024.0, maxProcesses, maxThreads);
        }
    }

    /**
     * What the sampler measured.
     *
     * @param cpu          statistics of the per-interval CPU percentages
     * @param cpuPct       the per-interval CPU percentages themselves
     * @param cpuSource    which clock gave them
     * @param cpuCheckPct  mean CPU over the whole window from tick-based totals (cross-check)
     * @param pssMb        mean PSS of the whole tree, in MB
     * @param processes    most processes seen in the tree
     * @param threads      most threads seen in the tree
     */
    record Measurement(CpuStats cpu, double[] cpuPct, String cpuSource, double cpuCheckPct, double pssMb, int processes, int threads) {
    }
}
