package forkchat.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the load generator measured, handed to the bench as a properties file. Latencies are in
 * milliseconds (NaN when nothing was measured: a lone client in fanout, or ingest, has no
 * deliveries); counts are whole numbers.
 *
 * @param sent         messages sent after every client had joined (warm-up and measured window)
 * @param expected     deliveries those messages should make
 * @param delivered    deliveries received, each message to each receiver counted once
 * @param duplicates   deliveries received more than once
 * @param skipped      messages not sent because the server was not reading (the send buffer was full)
 * @param latencyCount deliveries of messages sent in the measured window (the latency histogram)
 * @param error        the first thing that went wrong (a refused client, a closed connection), or empty
 */
record LoadReport(long sent, long expected, long delivered, long duplicates, long skipped,
                  long latencyCount, double latencyP50Ms, double latencyP99Ms, double latencyMaxMs,
                  double connectP50Ms, double connectP99Ms, double connectMaxMs,
                  double loadCpuPct, String error) {

    long lost() {
        return Math.max(0, expected - delivered);
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("sent", Long.toString(sent));
        p.setProperty("expected", Long.toString(expected));
        p.setProperty("delivered", Long.toString(delivered));
        p.setProperty("duplicates", Long.toString(duplicates));
        p.setProperty("skipped", Long.toString(skipped));
        p.setProperty("latency_count", Long.toString(latencyCount));
        p.setProperty("latency_p50_ms", Double.toString(latencyP50Ms));
        p.setProperty("latency_p99_ms", Double.toString(latencyP99Ms));
        p.setProperty("latency_max_ms", Double.toString(latencyMaxMs));
        p.setProperty("connect_p50_ms", Double.toString(connectP50Ms));
        p.setProperty("connect_p99_ms", Double.toString(connectP99Ms));
        p.setProperty("connect_max_ms", Double.toString(connectMaxMs));
        p.setProperty("load_cpu_pct", Double.toString(loadCpuPct));
        p.setProperty("error", error);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "forkchat-bench load generator report");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static LoadReport read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new LoadReport(l(p, "sent"), l(p, "expected"), l(p, "delivered"), l(p, "duplicates"), l(p, "skipped"),
                l(p, "latency_count"), d(p, "latency_p50_ms"), d(p, "latency_p99_ms"), d(p, "latency_max_ms"),
                d(p, "connect_p50_ms"), d(p, "connect_p99_ms"), d(p, "connect_max_ms"), d(p, "load_cpu_pct"),
                p.getProperty("error", ""));
    }

    private static long l(Properties p, String key) {
        return Long.parseLong(p.getProperty(key, "0"));
    }

    private static double d(Properties p, String key) {
        return Double.parseDouble(p.getProperty(key, "NaN"));
    }
}
