package forkchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples the server under test while the load is measured: its CPU clock every interval
 * (500 ms, as the paper's {@code top}), and every fourth interval its memory, PSS summed over
 * every process of the tree (reading {@code smaps_rollup} walks page tables, so it is done less
 * often than the CPU clock, which is cheap). Runs on its own platform thread, from
 * {@link #start} to {@link #stop}.
 */
final class Sampler {

    static final long INTERVAL_MILLIS = 500;
    private static final int MEMORY_EVERY = 4;

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
    private volatile boolean stopping;

    Sampler(CpuClock clock, long root, Supplier<List<Long>> members) {
        this.clock = clock;
        this.root = root;
        this.members = members;
    }

    void start() {
        startNanos = System.nanoTime();
        ticksBefore = TickCheck.ticks(root, members.get());
        thread = Thread.ofPlatform().name("sampler").daemon().start(this::run);
    }

    private void run() {
        long next = System.nanoTime();
        int i = 0;
        while (!stopping) {
            long now = System.nanoTime();
            long cpuNow = clock.nanos();
            synchronized (this) {
                cpu.add(cpuNow);
                wall.add(now);
            }
            if (i++ % MEMORY_EVERY == 0) {
                sampleMemory();
            }
            next += TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void sampleMemory() {
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
    }

    /** Stops sampling (bounded wait) and returns what was measured. */
    Measurement stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(5_000);
        stopNanos = System.nanoTime();
        ticksAfter = TickCheck.ticks(root, members.get());
        synchronized (this) {
            long[] c = cpu.stream().mapToLong(Long::longValue).toArray();
            long[] w = wall.stream().mapToLong(Long::longValue).toArray();
            double meanPss = pssKb.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
            double[] pct = CpuStats.percentages(c, w);
            return new Measurement(CpuStats.of(pct), pct, clock.source(),
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
