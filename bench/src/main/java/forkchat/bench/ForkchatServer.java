package forkchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * <p><b>The fork model's pool.</b> A client's connect → 001 latency should measure the hand-off
 * to a waiting worker JVM, not a JVM's start-up, and the steady state should be what a running
 * daemon looks like (its clients' workers and a couple of spares), not a pool still growing.
 * So the daemon starts from a config file asking for {@code clients + 2} spare workers (and
 * "ready" means they are up), and once every client has joined the file is rewritten with the
 * default pool sizes and the daemon reloaded (SIGHUP): it stops the spares it no longer needs
 * before the load starts. The pool settings live only in that file: a {@code -c} option would
 * win over it on reload too.
 */
final class ForkchatServer implements ServerUnderTest {

    private static final Pattern READY = Pattern.compile("forkchatd ready: listening on ([0-9.]+):(\\d+)");
    /** How long workers get to say goodbye on SIGTERM (the daemon's shutdown_timeout). */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final int STEADY_SPARES = 2;

    private final String model;
    private final Path java;
    private final String daemonClassPath;
    private ServerProcess process;
    private Path configFile;
    private Path runDir;
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

    /** The JVM options scripts/lib/jdk.sh gives every forkchat JVM. */
    static List<String> jvmOptions(int javaFeature) {
        List<String> opts = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"));
        if (javaFeature >= 24) {
            opts.add("--sun-misc-unsafe-memory-access=allow");
        }
        return opts;
    }

    @Override
    public ServerProcess start(Path runDir, int clients, String cpus, Cgroup cgroup)
            throws IOException, InterruptedException {
        this.runDir = runDir;
        Path state = runDir.resolve("state");
        Files.createDirectories(state);
        configFile = runDir.resolve("forkchatd.conf");
        int spares = clients + STEADY_SPARES;
        writeConfig(model.equals("fork") ? spares : STEADY_SPARES, Math.max(spares, 8));
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions(Runtime.version().feature()));
        cmd.addAll(List.of("-cp", daemonClassPath, "forkchat.daemon.Forkchatd", "--config", configFile.toString()));
        for (String s : settings(model, state, clients)) {
            cmd.add("-c");
            cmd.add(s);
        }
        process = ServerProcess.start(cmd, cpus, cgroup, runDir.resolve("server.log"));
        // a fork-model daemon is ready once its clients + 2 worker JVMs are up (the daemon waits
        // at most 60 s for them): allow for that on a slow, shared machine
        String ready = process.awaitLog(l -> READY.matcher(l).find(), Duration.ofSeconds(90 + clients));
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

    private void writeConfig(int minSpare, int maxSpare) throws IOException {
        Files.writeString(configFile, "# written by forkchat-bench for one run\n"
                + "pool_min_spare = " + minSpare + "\n"
                + "pool_max_spare = " + maxSpare + "\n");
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void afterJoin() throws IOException, InterruptedException {
        if (!model.equals("fork")) {
            return;
        }
        int before = process.log().size();
        writeConfig(STEADY_SPARES, 8);
        // One retry: once, on a busy machine, a daemon logged nothing after a SIGHUP. Its threads
        // are saved beside its log for whoever looks into it, and a second SIGHUP is sent.
        for (int attempt = 1; attempt <= 2; attempt++) {
            process.signal("HUP");
            if (awaitReload(before, Duration.ofSeconds(15))) {
                return;
            }
            dumpThreads(process.pid(), runDir.resolve("supervisor-threads-" + attempt + ".txt"));
        }
        throw new IOException("forkchatd did not log a reload after two SIGHUPs 15 s apart; its threads are in "
                + runDir);
    }

    private boolean awaitReload(int fromLine, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            List<String> log = process.log();
            for (int i = fromLine; i < log.size(); i++) {
                if (log.get(i).contains("configuration reloaded")) {
                    return true;
                }
                if (log.get(i).contains("reload refused")) {
                    throw new IOException("forkchatd refused the bench's reload: " + log.get(i));
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** {@code jcmd PID Thread.print} into {@code file}, best effort. */
    private void dumpThreads(long pid, Path file) {
        try {
            Path jcmd = java.resolveSibling("jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            // a diagnostic only
        }
    }
}
