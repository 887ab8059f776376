package forkchat.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forkchat-bench}: runs forkchatd in each of its concurrency models (and optionally
 * ngIRCd) at each client count under the same chat load, and reports CPU (mean and σ/μ of
 * 500 ms samples of the whole process tree), memory (PSS), fan-out and connect latency, and
 * deliveries expected vs received, as results.csv, results.md and PNG charts.
 *
 * <p>The hidden subcommand {@code load} is the load generator, run by the bench as a separate
 * JVM (see {@link LoadGenerator}).
 */
@Command(name = "forkchat-bench", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = Main.Load.class,
        description = {"Measure CPU, memory and latency of forkchatd's concurrency models side by side.",
                "Every model runs at every client count (models interleaved at each count), each run on a fresh"
                        + " daemon driven by a separate load-generator JVM."},
        footer = {"", "Example: forkchat-bench --models fork,thread,virtual,event --clients 1,4,16,64 --duration 20s"
                + " --reference ngircd --out /tmp/bench"})
public final class Main implements Callable<Integer> {

    static final Set<String> MODELS = Set.of("fork", "thread", "virtual", "event");

    @Option(names = "--models", split = ",", defaultValue = "fork,thread,virtual,event",
            description = "forkchat models to run (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--clients", split = ",", defaultValue = "1,2,4,8,16,32,64",
            description = "client counts (default: ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(names = "--rate", defaultValue = "1", description = "messages per client per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--size", defaultValue = "64", description = "bytes of text per message, 32..400 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--duration", defaultValue = "30s", description = "measured window per run (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "load before measuring starts (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--drain", defaultValue = "10s",
            description = "longest wait for outstanding deliveries after sending stops (default: ${DEFAULT-VALUE})")
    String drain;

    @Option(names = "--workload", defaultValue = "fanout",
            description = "fanout: everyone in one channel; ingest: each client alone in its own channel (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--out", defaultValue = "bench-results", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--server-cpus", description = "CPU list the server runs on (taskset -c), e.g. 0")
    String serverCpus;

    @Option(names = "--load-cpus", description = "CPU list the load generator runs on (taskset -c), e.g. 1")
    String loadCpus;

    @Option(names = "--reference", description = "also run a reference server: ngircd (needs /usr/sbin/ngircd)")
    String reference;

    @Option(names = "--connect-parallel", defaultValue = "1",
            description = "clients connecting at once (default: ${DEFAULT-VALUE}: one after another)")
    int connectParallel;

    @Option(names = "--daemon-classpath", hidden = true,
            description = "forkchatd's class path (default: the forkchat.daemon.classpath property, else the bench's own)")
    String daemonClassPath;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (for tests: no System.exit). */
    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = settings();
        new Benchmark(settings, System.err, System.console() != null).run();
        return 0;
    }

    BenchSettings settings() {
        for (String m : models) {
            if (!MODELS.contains(m)) {
                throw bad("--models: unknown model '" + m + "' (fork, thread, virtual, event)");
            }
        }
        if (clients.isEmpty() || clients.stream().anyMatch(n -> n < 1 || n > 5_000)) {
            throw bad("--clients: each count must be between 1 and 5000");
        }
        if (!(rate > 0 && rate <= 1_000)) {
            throw bad("--rate: must be above 0 and at most 1000 messages per second");
        }
        if (size < 32 || size > 400) {
            throw bad("--size: must be 32..400 bytes (an IRC line is at most 512)");
        }
        if (connectParallel < 1) {
            throw bad("--connect-parallel: must be at least 1");
        }
        if (reference != null) {
            if (!reference.equals("ngircd")) {
                throw bad("--reference: only ngircd is known");
            }
            if (!NgircdServer.installed()) {
                throw bad("--reference ngircd: " + NgircdServer.BINARY + " is not installed (apt-get install ngircd)");
            }
        }
        if ((serverCpus != null || loadCpus != null) && !onPath("taskset")) {
            throw bad("--server-cpus/--load-cpus need taskset (util-linux)");
        }
        Workload w;
        try {
            w = Workload.parse(workload);
        } catch (IllegalArgumentException e) {
            throw bad("--workload: fanout or ingest");
        }
        String daemonCp = daemonClassPath != null ? daemonClassPath
                : System.getProperty("forkchat.daemon.classpath", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new BenchSettings(List.copyOf(models), reference, List.copyOf(clients), rate, size, w,
                duration(warmup, "--warmup"), duration(duration, "--duration"), duration(drain, "--drain"),
                connectParallel, serverCpus, loadCpus, out.toAbsolutePath(), java,
                System.getProperty("java.class.path"), daemonCp);
    }

    private Duration duration(String text, String option) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(option + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The load generator, run by the bench as a JVM of its own. */
    @Command(name = "load", hidden = true, description = "the load generator (run by forkchat-bench)")
    static final class Load implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1")
        String host;
        @Option(names = "--port", required = true)
        int port;
        @Option(names = "--clients", required = true)
        int clients;
        @Option(names = "--rate", defaultValue = "1")
        double rate;
        @Option(names = "--size", defaultValue = "64")
        int size;
        @Option(names = "--workload", defaultValue = "fanout")
        String workload;
        @Option(names = "--warmup", defaultValue = "5s")
        String warmup;
        @Option(names = "--duration", defaultValue = "30s")
        String duration;
        @Option(names = "--drain", defaultValue = "10s")
        String drain;
        @Option(names = "--connect-timeout", defaultValue = "60s")
        String connectTimeout;
        @Option(names = "--connect-parallel", defaultValue = "1")
        int connectParallel;
        @Option(names = "--paced")
        boolean paced;
        @Option(names = "--report", required = true)
        Path report;

        @Override
        public Integer call() throws Exception {
            LoadGenerator.Plan plan = new LoadGenerator.Plan(host, port, clients, rate, size, Workload.parse(workload),
                    Durations.parse(warmup), Durations.parse(duration), Durations.parse(drain),
                    Durations.parse(connectTimeout), connectParallel, paced);
            PrintStream control = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            return new LoadGenerator(plan, control).run(report) ? 0 : 1;
        }
    }
}
