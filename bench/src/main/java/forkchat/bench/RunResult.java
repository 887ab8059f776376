package forkchat.bench;

import java.util.List;
import java.util.Locale;

/**
 * One row of results.csv: one model at one client count. Numbers that could not be measured
 * are NaN (written empty): latency with nobody to deliver to, CPU of a run that failed.
 */
record RunResult(String model, int clients, double rate, int size, String workload, double durationS,
                 int samples, double cpuMeanPct, double cpuSdPct, double cpuCv, String cpuSource, double cpuCheckPct,
                 double pssTotalMb, double pssPerClientMb, int processes, int threads,
                 double latencyP50Ms, double latencyP99Ms, double latencyMaxMs,
                 double connectP50Ms, double connectP99Ms, double connectMaxMs,
                 long sent, long expected, long delivered, long duplicates, long skipped,
                 double loadCpuPct, String status) {

    /** The CSV header: the columns issue 7 asks for first, in its order, then the rest. */
    static final List<String> COLUMNS = List.of("model", "clients", "rate", "cpu_mean_pct", "cpu_cv",
            "pss_total_mb", "pss_per_client_mb", "latency_p50_ms", "latency_p99_ms", "latency_max_ms",
            "connect_p99_ms", "expected", "delivered",
            "lost", "duplicates", "skipped", "sent", "size", "workload", "duration_s", "samples", "cpu_sd_pct",
            "cpu_source", "cpu_check_pct", "processes", "threads", "connect_p50_ms", "connect_max_ms",
            "load_cpu_pct", "status");

    long lost() {
        return Math.max(0, expected - delivered);
    }

    /** A run that could not be measured: only what it was and why. */
    static RunResult failed(String model, int clients, double rate, int size, String workload, double durationS,
                            String why) {
        double n = Double.NaN;
        return new RunResult(model, clients, rate, size, workload, durationS, 0, n, n, n, "", n, n, n, 0, 0,
                n, n, n, n, n, n, 0, 0, 0, 0, 0, n, why.startsWith("failed") ? why : "failed: " + why);
    }

    /** The row's values, in {@link #COLUMNS} order, as CSV text. */
    List<String> csvValues() {
        return List.of(model, Integer.toString(clients), num(rate), num(cpuMeanPct), num(cpuCv),
                num(pssTotalMb), num(pssPerClientMb), num(latencyP50Ms), num(latencyP99Ms), num(latencyMaxMs),
                num(connectP99Ms), Long.toString(expected), Long.toString(delivered),
                Long.toString(lost()), Long.toString(duplicates), Long.toString(skipped), Long.toString(sent),
                Integer.toString(size), workload, num(durationS), Integer.toString(samples), num(cpuSdPct),
                cpuSource, num(cpuCheckPct), Integer.toString(processes), Integer.toString(threads),
                num(connectP50Ms), num(connectMaxMs), num(loadCpuPct), status);
    }

    /** A number for the CSV: up to 4 decimals, no exponent, empty for NaN. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
