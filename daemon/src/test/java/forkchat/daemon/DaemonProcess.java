package forkchat.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real forkchatd, started as a child JVM on a loopback port chosen by the kernel, with its
 * state in a test directory. Its log lines are collected so tests can wait for them. close()
 * leaves no process behind: the daemon and every descendant are killed if still alive.
 */
public final class DaemonProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("forkchatd ready: listening on ([0-9.]+):(\\d+)");
    private static final Pattern TLS_READY = Pattern.compile("TLS listening on ([0-9.]+):(\\d+)");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition newLine = lock.newCondition();
    private final int port;

    private DaemonProcess(Process process) throws IOException {
        this.process = process;
        Thread.ofPlatform().daemon().name("daemon-log").start(this::collect);
        String ready = awaitLog(l -> READY.matcher(l).find(), Duration.ofSeconds(90));
        if (ready == null) {
            close();
            throw new IOException("forkchatd did not become ready; its log:\n" + String.join("\n", lines));
        }
        Matcher m = READY.matcher(ready);
        m.find();
        port = Integer.parseInt(m.group(2));
    }

    /** Starts forkchatd with its state in {@code stateDir} and the given extra settings. */
    public static DaemonProcess start(Path stateDir, String... settings) throws IOException {
        return start(stateDir, List.of(), settings);
    }

    /** Like {@link #start(Path, String...)} with extra options for the supervisor JVM. */
    public static DaemonProcess start(Path stateDir, List<String> jvmOptions, String... settings) throws IOException {
        return start(stateDir, java.util.Map.of(), jvmOptions, settings);
    }

    /** Like {@link #start(Path, String...)} with extra environment variables and JVM options. */
    public static DaemonProcess start(Path stateDir, java.util.Map<String, String> env, List<String> jvmOptions,
                                      String... settings) throws IOException {
        return start(stateDir, null, env, jvmOptions, settings);
    }

    /** Like {@link #start(Path, String...)} reading {@code configFile} (--config) as well. */
    public static DaemonProcess startWithConfig(Path stateDir, Path configFile, String... settings) throws IOException {
        return start(stateDir, configFile, java.util.Map.of(), List.of(), settings);
    }

    private static DaemonProcess start(Path stateDir, Path configFile, java.util.Map<String, String> env,
                                       List<String> jvmOptions, String... settings) throws IOException {
        List<String> cmd = javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(1, jvmOptions);
        if (configFile != null) {
            cmd.addAll(List.of("--config", configFile.toString()));
        }
        cmd.addAll(List.of("-c", "listen=127.0.0.1:0", "-c", "state_dir=" + stateDir));
        if (configFile == null) {
            // Every test client comes from 127.0.0.1, many within a second: the per-address
            // limits are lifted here, and the tests of those limits set their own (a later -c
            // wins). A daemon run from a config file gets none: -c would override the file.
            cmd.addAll(List.of("-c", "accept_rate=100000", "-c", "max_clients_per_address=100000"));
        }
        for (String s : settings) {
            cmd.add("-c");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new DaemonProcess(pb.start());
    }

    /** java with forkchat's JVM options and this test run's class path, then {@code mainClass}. */
    public static List<String> javaCommand(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (System.getenv("FORKCHAT_TEST_VERBOSE") != null) {
                    System.err.println("[forkchatd] " + line);
                }
                signal();
            }
        } catch (IOException e) {
            // the daemon is gone
        }
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            newLine.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a log line matching {@code wanted} (already logged or to come); null on timeout. */
    public String awaitLog(Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String l : lines) {
                    if (wanted.test(l)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && lines.isEmpty())) {
                    return null;
                }
                newLine.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code forkchatd -c state_dir=STATE user ARGS} (an admin command on the state
     * directory) with {@code stdin} as its standard input; returns the finished process.
     */
    public static Process userCommand(Path stateDir, String stdin, String... args) throws IOException {
        List<String> cmd = javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(List.of("-c", "state_dir=" + stateDir, "user"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().write((stdin + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("forkchatd user " + String.join(" ", args) + " did not finish");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return p;
    }

    public int port() {
        return port;
    }

    /** The TLS listener's port (from its start-up log line); fails when there is none. */
    public int tlsPort() {
        for (String l : log()) {
            Matcher m = TLS_READY.matcher(l);
            if (m.find()) {
                return Integer.parseInt(m.group(2));
            }
        }
        throw new IllegalStateException("forkchatd logged no TLS listener");
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public List<String> log() {
        return List.copyOf(lines);
    }

    /** The worker JVMs alive now (the daemon's children). */
    public List<ProcessHandle> workers() {
        return process.toHandle().children().filter(ProcessHandle::isAlive).toList();
    }

    /**
     * The worker JVMs holding the server side of the connection whose client end is the local port
     * {@code clientPort} (fork model; from /proc): exactly one while a worker serves it.
     */
    public List<Long> workersServing(int clientPort) throws IOException {
        long inode = ProcFs.serverSocketInode(port, clientPort);
        if (inode == -1) {
            return List.of();
        }
        return workers().stream().map(ProcessHandle::pid).filter(pid -> ProcFs.holdsSocket(pid, inode)).toList();
    }

    /**
     * Every live process on this machine whose command line sets {@code state_dir=stateDir}: the
     * supervisor and every worker it spawned, also one that outlived it and was reparented (an
     * orphan is no longer anyone's descendant, but still carries its settings).
     */
    public static List<Long> processesOf(Path stateDir) {
        String mark = "state_dir=" + stateDir + " "; // an argument of its own: not a prefix of another dir
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .filter(pid -> ProcFs.commandLine(pid).contains(mark)).toList();
    }

    /**
     * Waits (bounded) until no process of {@code stateDir} is left; returns those still alive.
     * It looks every {@value #PROCESS_SCAN_MILLIS} ms rather than waiting on {@code onExit()}: for a
     * process that is not this JVM's child (a worker is the supervisor's), the JDK itself polls,
     * first after 300 ms and then ever less often, which would add up to a second to what the
     * tests report as "gone within".
     */
    public static List<Long> awaitNoProcessOf(Path stateDir, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> left = processesOf(stateDir);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(PROCESS_SCAN_MILLIS);
            left = processesOf(stateDir);
        }
        return left;
    }

    private static final int PROCESS_SCAN_MILLIS = 20;

    /** Sends a signal to the daemon (15 TERM, 2 INT, 9 KILL). */
    public void signal(int signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits for the daemon to exit; returns its status, or -1 on timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the leak checks of the tests that care
            }
        }
    }
}
