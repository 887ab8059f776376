package forkchat.bench;

/**
 * The statistics of a run's CPU samples, as the paper's Table I reports them: the mean CPU
 * use in percent of one core, its standard deviation, and their ratio σ/μ (the coefficient of
 * variation). σ is the sample standard deviation (n − 1). A sample is CPU time over wall time
 * of one sampling interval.
 */
record CpuStats(int samples, double meanPct, double sdPct) {

    /** σ/μ; NaN when the mean is 0 or there are fewer than two samples. */
    double cv() {
        return samples < 2 || meanPct == 0 ? Double.NaN : sdPct / meanPct;
    }

    /** The statistics of percentages already computed. */
    static CpuStats of(double[] pct) {
        int n = pct.length;
        if (n == 0) {
            return new CpuStats(0, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double p : pct) {
            sum += p;
        }
        double mean = sum / n;
        if (n < 2) {
            return new CpuStats(1, mean, Double.NaN);
        }
        double sq = 0;
        for (double p : pct) {
            sq += (p - mean) * (p - mean);
        }
        return new CpuStats(n, mean, Math.sqrt(sq / (n - 1)));
    }

    /**
     * The statistics of a cumulative CPU clock read at wall times {@code wallNanos}: the mean is
     * all CPU time over all wall time (so an interval stretched by a late reading weighs as much
     * as it lasted), σ that of the per-interval percentages.
     */
    static CpuStats ofReadings(long[] cpuNanos, long[] wallNanos) {
        double[] pct = percentages(cpuNanos, wallNanos);
        CpuStats perInterval = of(pct);
        int last = cpuNanos.length - 1;
        if (last < 1 || wallNanos[last] <= wallNanos[0]) {
            return perInterval;
        }
        double mean = 100.0 * (cpuNanos[last] - cpuNanos[0]) / (wallNanos[last] - wallNanos[0]);
        if (pct.length < 2) {
            return new CpuStats(pct.length, mean, Double.NaN);
        }
        double sq = 0;
        for (double p : pct) {
            sq += (p - perInterval.meanPct()) * (p - perInterval.meanPct());
        }
        return new CpuStats(pct.length, mean, Math.sqrt(sq / (pct.length - 1)));
    }

    /**
     * Percent of one core in each interval between consecutive readings of a cumulative CPU
     * clock ({@code cpuNanos}) taken at wall times {@code wallNanos}.
     */
    static double[] percentages(long[] cpuNanos, long[] wallNanos) {
        if (cpuNanos.length != wallNanos.length) {
            throw new IllegalArgumentException("as many CPU readings as wall times are needed");
        }
        int n = Math.max(0, cpuNanos.length - 1);
        double[] pct = new double[n];
        for (int i = 0; i < n; i++) {
            long wall = wallNanos[i + 1] - wallNanos[i];
            pct[i] = wall <= 0 ? 0 : 100.0 * (cpuNanos[i + 1] - cpuNanos[i]) / wall;
        }
        return pct;
    }
}
