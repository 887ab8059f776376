package forkchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The whole bench: every model at every client count, models interleaved at each count so
 * drift (other load on the machine, thermal state) hits them alike, then the CSV, the Markdown
 * table and the charts.
 *
 * <p><b>One run.</b> A fresh server (own state directory, own port, own cgroup when one can be
 * made) → a fresh load generator JVM connects and joins every client (one at a time for the fork
 * model, see {@link ServerUnderTest#pacedConnects}) → wait until the server is quiet (bounded) → {@code go}:
 * warm-up, then the measured window, sampled every 500 ms → drain → report → stop the server
 * and check nothing of it is left. A run that fails gets a row saying why; the bench goes on.
 */
final class Benchmark {

    /** Below this CPU (% of one core, over 500 ms) the server counts as quiet before the load starts. */
    private static final double QUIET_PCT = 15;
    private static final int QUIET_WINDOWS = 4;
    /** Between paced connects: the pool's replacement worker has started once the tree is quiet this long. */
    private static final int PACE_QUIET_WINDOWS = 2;
    private static final Duration QUIET_WAIT = Duration.ofSeconds(30);

    private final BenchSettings s;
    private final Progress progress;
    private final List<RunResult> results = new ArrayList<>();
    private final boolean cgroups;

    Benchmark(BenchSettings settings, PrintStream err, boolean terminal) {
        this.s = settings;
        List<Progress.Run> plan = new ArrayList<>();
        for (int n : s.clientCounts()) {
            for (String m : s.allModels()) {
                plan.add(new Progress.Run(m, n));
            }
        }
        this.progress = new Progress(err, terminal, plan, s.warmup(), s.duration());
        Cgroup probe = Cgroup.tryCreate("forkchat-bench-probe-" + ProcessHandle.current().pid());
        this.cgroups = probe != null;
        if (probe != null) {
            probe.close();
        }
    }

    /** Runs everything; returns the results (also written to the output directory). */
    List<RunResult> run() throws IOException, InterruptedException {
        Files.createDirectories(s.out());
        if (!cgroups) {
            progress.message("forkchat-bench: no cgroup v1 cpuacct group can be made here (needs root and "
                    + Cgroup.CPUACCT + "); CPU comes from per-thread schedstat, which misses threads that live"
                    + " shorter than a sample (see results.md)");
        }
        int index = 0;
        try {
            for (int n : s.clientCounts()) {
                for (String model : s.allModels()) {
                    progress.startRun(index);
                    RunResult r = runOne(index, model, n);
                    progress.endRun();
                    results.add(r);
                    progress.message(summary(r));
                    ResultsCsv.write(s.out().resolve("results.csv"), results);
                    index++;
                }
            }
        } finally {
            writeReport();
        }
        return results;
    }

    private RunResult runOne(int index, String model, int clients) throws InterruptedException {
        Path runDir = s.out().resolve("runs").resolve(String.format(Locale.ROOT, "%02d-%s-%d", index + 1, model, clients));
        ServerUnderTest server = model.equals("ngircd") ? new NgircdServer()
                : new ForkchatServer(model, s.java(), s.daemonClassPath());
        Cgroup cgroup = cgroups ? Cgroup.tryCreate("forkchat-bench-" + ProcessHandle.current().pid() + "-" + (index + 1)) : null;
        ServerProcess process = null;
        LoadProcess load = null;
        Sampler.Measurement m = null;
        String status = "ok";
        LoadReport report = null;
        int killed = 0;
        try {
            deleteTree(runDir);
            Files.createDirectories(runDir);
            progress.phase("starting the server");
            process = server.start(runDir, clients, s.serverCpus(), cgroup);
            ServerProcess p = process;
            CpuClock clock = cgroup != null ? cgroup : new TreeCpuClock(p::members);

            progress.phase("connecting " + clients + " client" + (clients == 1 ? "" : "s"));
            LoadGenerator.Plan plan = new LoadGenerator.Plan("127.0.0.1", server.port(), clients, s.rate(), s.size(),
                    s.workload(), s.warmup(), s.duration(), s.drain(),
                    Duration.ofSeconds(server.pacedConnects() ? 60 + 35L * clients : 60 + clients),
                    server.pacedConnects() ? 1 : s.connectParallel(), server.pacedConnects());
            if (server.pacedConnects()) {
                // the first client, like every later one, meets a server that has settled
                awaitSpares(p, server.spareWorkers(), 0);
                awaitQuiet(clock, PACE_QUIET_WINDOWS);
            }
            load = LoadProcess.start(s.java(), s.benchClassPath(), s.loadCpus(), plan, runDir);
            if (server.pacedConnects()) {
                // one client at a time, each once the pool has replaced the worker the last one took
                while (true) {
                    String line = load.awaitEither("joined", "joined-one ", Duration.ofSeconds(90));
                    if (line.equals("joined")) {
                        break;
                    }
                    int joined = Integer.parseInt(line.substring("joined-one ".length()).strip());
                    progress.phase("connecting " + clients + " clients, one at a time: " + joined + " joined");
                    awaitSpares(p, server.spareWorkers(), joined);
                    awaitQuiet(clock, PACE_QUIET_WINDOWS);
                    load.next();
                }
            } else {
                load.await("joined", Duration.ofSeconds(90 + clients));
            }
            progress.phase("waiting for the server to settle");
            if (!awaitQuiet(clock, QUIET_WINDOWS)) {
                progress.message("forkchat-bench: " + model + " stayed above " + QUIET_PCT
                        + " % CPU for " + QUIET_WAIT.toSeconds() + " s before the load; measuring anyway");
            }
            load.go();
            progress.phase("warm-up " + Durations.format(s.warmup()));
            load.await("measuring", s.warmup().plusSeconds(30));
            Sampler sampler = new Sampler(clock, p.pid(), p::members);
            sampler.start();
            progress.phase("measuring " + Durations.format(s.duration()));
            try {
                load.await("measured", s.duration().plusSeconds(30));
            } finally {
                m = sampler.stop();
            }
            writeSamples(runDir.resolve("cpu-samples.csv"), m);
            progress.phase("draining");
            load.await("done", s.drain().plusSeconds(30));
            report = load.report();
        } catch (LoadProcess.LoadFailed e) {
            status = "failed: load generator: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            status = "failed: " + e.getMessage();
        } finally {
            if (load != null) {
                load.close();
                if (report == null && load.hasReport()) {
                    try {
                        report = load.report();
                    } catch (IOException e) {
                        // keep the failure already recorded
                    }
                }
            }
            if (process != null) {
                progress.phase("stopping the server");
                killed = process.stop(ForkchatServer.SHUTDOWN_TIMEOUT.plusSeconds(10));
            }
            if (cgroup != null) {
                cgroup.close();
            }
            deleteTree(runDir.resolve("state"));
        }
        if (killed > 0) {
            status = (status.equals("ok") ? "" : status + "; ") + killed + " process(es) killed at stop";
        }
        if (report != null && !report.error().isEmpty() && status.equals("ok")) {
            status = "error: " + report.error();
        }
        double durationS = s.duration().toMillis() / 1000.0;
        if (m == null || report == null) {
            return RunResult.failed(model, clients, s.rate(), s.size(), s.workload().toString(), durationS, status);
        }
        return new RunResult(model, clients, s.rate(), s.size(), s.workload().toString(), durationS,
                m.cpu().samples(), m.cpu().meanPct(), m.cpu().sdPct(), m.cpu().cv(), m.cpuSource(), m.cpuCheckPct(),
                m.pssMb(), m.pssMb() / clients, m.processes(), m.threads(),
                report.latencyP50Ms(), report.latencyP99Ms(), report.latencyMaxMs(),
                report.connectP50Ms(), report.connectP99Ms(), report.connectMaxMs(),
                report.sent(), report.expected(), report.delivered(), report.duplicates(), report.skipped(),
                report.loadCpuPct(), report.lost() > 0 && status.equals("ok") ? "lost " + report.lost() : status);
    }

    /**
     * Waits until the server has used less than {@link #QUIET_PCT} of a core in each of
     * {@code windows} consecutive 500 ms windows (a worker JVM starting keeps a core busy
     * for a few hundred ms, so a pool still growing is not quiet), at most {@link #QUIET_WAIT}.
     */
    private static boolean awaitQuiet(CpuClock clock, int windows) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
        long cpu = clock.nanos();
        long wall = System.nanoTime();
        int quiet = 0;
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(Sampler.INTERVAL_MILLIS);
            long c = clock.nanos();
            long w = System.nanoTime();
            quiet = 100.0 * (c - cpu) / (w - wall) < QUIET_PCT ? quiet + 1 : 0;
            if (quiet >= windows) {
                return true;
            }
            cpu = c;
            wall = w;
        }
        return false;
    }

    /**
     * Waits until the server's tree holds {@code spares} processes beyond itself and one per
     * client joined (the fork model's idle workers: it spawns a replacement for each one a client
     * takes), at most {@link #QUIET_WAIT}. A process counts from its exec, so the caller also waits
     * for quiet, by which time the newest worker has finished starting.
     */
    private static void awaitSpares(ServerProcess server, int spares, int joined) throws InterruptedException {
        if (spares <= 0) {
            return;
        }
        long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
        while (server.members().size() - 1 - joined < spares && System.nanoTime() - deadline < 0) {
            Thread.sleep(Sampler.INTERVAL_MILLIS / 5);
        }
    }

    /** The run's 500 ms CPU samples, for a look at what the mean and σ are made of. */
    private static void writeSamples(Path file, Sampler.Measurement m) throws IOException {
        StringBuilder csv = new StringBuilder("sample,cpu_pct\n");
        double[] pct = m.cpuPct();
        for (int i = 0; i < pct.length; i++) {
            csv.append(i + 1).append(',').append(RunResult.num(pct[i])).append('\n');
        }
        Files.writeString(file, csv);
    }

    private static String summary(RunResult r) {
        if (r.status().startsWith("failed")) {
            return String.format(Locale.ROOT, "  %-8s %3d clients: %s", r.model(), r.clients(), r.status());
        }
        return String.format(Locale.ROOT,
                "  %-8s %3d clients: CPU %6.2f %% (σ/μ %s), PSS %7.1f MB, p99 %s ms, connect p99 %s ms, delivered %d/%d%s",
                r.model(), r.clients(), r.cpuMeanPct(), ResultsMarkdown.fixed(r.cpuCv(), 3), r.pssTotalMb(),
                ResultsMarkdown.fixed(r.latencyP99Ms(), 2), ResultsMarkdown.fixed(r.connectP99Ms(), 2),
                r.delivered(), r.expected(), r.status().equals("ok") ? "" : " — " + r.status());
    }

    private void writeReport() throws IOException {
        Path out = s.out();
        List<String> charts = List.of();
        String subtitle = s.workload() + ", " + RunResult.num(s.rate()) + " msg/s per client, " + s.size() + " B";
        try {
            charts = Charts.write(out, s.allModels(), results, subtitle);
        } catch (IOException | RuntimeException | Error e) {
            progress.message("forkchat-bench: charts not written: " + e);
        }
        Files.writeString(out.resolve("results.md"), ResultsMarkdown.format(s, results, conditions(), charts));
        progress.message("forkchat-bench: results in " + out.resolve("results.csv") + ", " + out.resolve("results.md")
                + (charts.isEmpty() ? "" : " and " + String.join(", ", charts)));
    }

    private List<String> conditions() {
        List<String> c = new ArrayList<>();
        c.add("Run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " on " + machine());
        c.add("Workload **" + s.workload() + "**: each client sends " + RunResult.num(s.rate()) + " msg/s of "
                + s.size() + " bytes of text; " + (s.workload() == Workload.FANOUT
                ? "all clients in one channel, so each message goes to every other client"
                : "each client alone in its channel, so messages are stored but delivered to nobody"));
        c.add("Warm-up " + Durations.format(s.warmup()) + ", measured " + Durations.format(s.duration())
                + ", drain up to " + Durations.format(s.drain()) + "; clients connect "
                + (s.connectParallel() == 1 ? "one after another" : s.connectParallel() + " at a time"));
        c.add("CPU clock: " + (cgroups ? "cgroup v1 cpuacct.usage (ns, every process and thread the server ever ran)"
                : "per-thread schedstat summed over the live tree (ns; misses threads shorter than a sample)")
                + "; 'CPU check' is the tick-based total over the whole window (/proc/PID/stat)");
        c.add("Server CPUs: " + (s.serverCpus() == null ? "not pinned" : s.serverCpus()) + "; load generator CPUs: "
                + (s.loadCpus() == null ? "not pinned" : s.loadCpus()) + " (the generator is a separate JVM)");
        c.add("forkchatd: limits lifted for loopback (accept_rate, max_clients_per_address, max_registering, "
                + "max_clients), flood_line_cost=0; pool at its defaults (2 spare workers); clients connect "
                + "one at a time, each once the server is quiet (fork: and its pool has 2 spare workers again)");
        if (s.reference() != null) {
            c.add("ngIRCd: " + ngircdVersion() + ", loopback config with MaxPenaltyTime=0, no DNS/ident/PAM");
        }
        return c;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // keep "unknown"
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + Runtime.version();
    }

    private static String ngircdVersion() {
        try {
            Process p = new ProcessBuilder(NgircdServer.BINARY.toString(), "--version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("ngIRCd");
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            return first.strip();
        } catch (IOException | InterruptedException e) {
            return "ngIRCd";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it
        }
    }
}
