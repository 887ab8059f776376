package forkchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * forkchatd in one model, launched as scripts/forkchatd launches it (the same java, the JVM
 * options every forkchat JVM needs, the daemon's jars) with a fresh state directory and a port
 * the kernel picks, read back from its "ready" log line.
 *
 * <p><b>Limits.</b> Every bench client comes from 127.0.0.1 within a second or two, so the
 * per-address and registration limits are lifted and flood control is off ({@code
 * flood_line_cost=0}): the bench measures the server, not its defences.
 *
 * <p><b>The fork model's pool</b> keeps its defaults (two spare workers): a daemon as it runs.
 * The bench connects clients one at a time in every model ({@link #pacedConnects}), each once
 * the server is quiet, and for the fork model once the pool has its spare workers back, so
 * connect → 001 measures a client meeting a spare worker, as a daemon's pool is meant to be met,
 * no spawning is left for the measurement, and every model is met the same way.
 */
final class ForkchatServer implements ServerUnderTest {

    private static final Pattern READY = Pattern.compile("forkchatd ready: listening on ([0-9.]+):(\\d+)");
    /** How long workers get to say goodbye on SIGTERM (the daemon's shutdown_timeout). */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** The daemon's default pool_min_spare, which the bench leaves as it is. */
    static final int POOL_MIN_SPARE = 2;

    private final String model;
    private final Path java;
    private final String daemonClassPath;
    private ServerProcess process;
    private int port;

    ForkchatServer(String model, Path java, String daemonClassPath) {
        this.model = model;
        this.java = java;
        this.daemonClassPath = daemonClassPath;
    }

    @Override
    public String model() {
        return model;
    }

    /** The settings every bench run of forkchatd gets, as {@code -c} values. */
    static List<String> settings(String model, Path stateDir, int clients) {
        int max = Math.max(128, 2 * clients);
        return List.of(
                "listen=127.0.0.1:0",
                "state_dir=" + stateDir,
                "model=" + model,
                "max_clients=" + max,
                "max_clients_per_address=" + max,
                "max_registering=" + max,
                "accept_rate=100000",
                "flood_line_cost=0",
                "shutdown_timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
                "log_level=info");
    }

    /** The JVM options scripts/lib/jdk.sh gives forkchatd running {@code model} ({@code forkchatd_jvm_options}). */
    static List<String> jvmOptions(int javaFeature, String model) {
        List<String> opts = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms16m",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        if (javaFeature >= 22) {
            opts.add("-XX:TrimNativeHeapInterval=5000");
        }
        if (javaFeature >= 24) {
            opts.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (model.equals("fork")) {
            opts.add("-XX:TieredStopAtLevel=1"); // a supervisor serves no chat: the quick compiler alone
        }
        return opts;
    }

    @Override
    public ServerProcess start(Path runDir, int clients, String cpus, Cgroup cgroup)
            throws IOException, InterruptedException {
        Path state = runDir.resolve("state");
        Files.createDirectories(state);
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions(Runtime.version().feature(), model));
        cmd.addAll(List.of("-cp", daemonClassPath, "forkchat.daemon.Forkchatd"));
        for (String s : settings(model, state, clients)) {
            cmd.add("-c");
            cmd.add(s);
        }
        process = ServerProcess.start(cmd, cpus, cgroup, runDir.resolve("server.log"));
        // a fork-model daemon is ready once its spare worker JVMs are up: allow for a slow, shared machine
        String ready = process.awaitLog(l -> READY.matcher(l).find(), Duration.ofSeconds(90));
        if (ready == null) {
            List<String> log = process.log();
            throw new IOException("forkchatd (" + model + ") did not become ready; the end of "
                    + runDir.resolve("server.log") + ": " + String.join(" / ", log.subList(Math.max(0, log.size() - 5), log.size())));
        }
        Matcher m = READY.matcher(ready);
        m.find();
        port = Integer.parseInt(m.group(2));
        return process;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean pacedConnects() {
        return true;
    }

    @Override
    public int spareWorkers() {
        return model.equals("fork") ? POOL_MIN_SPARE : 0;
    }
}
