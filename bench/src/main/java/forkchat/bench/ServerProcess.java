package forkchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One server under test as an operating-system process: started pinned to a CPU set (taskset)
 * and inside its cgroup when there is one, with its output in a log file, and stopped so that
 * nothing of it is left.
 *
 * <p><b>Start.</b> The command runs under {@code sh -c 'echo $$ > cgroup.procs; exec "$@"'}: the
 * shell joins the group and then becomes the server (same pid), so the server and every process
 * it ever forks are counted from their first instruction.
 *
 * <p><b>Stop.</b> SIGTERM to the root, a bounded wait, then SIGKILL to its process group (a
 * forkchatd supervisor leads its own group) and to every process that was in its tree or its
 * cgroup. {@link #stop} reports how many had to be killed; zero is a clean stop.
 */
final class ServerProcess {

    private final Process process;
    private final Path logFile;
    private final Cgroup cgroup;

    private ServerProcess(Process process, Path logFile, Cgroup cgroup) {
        this.process = process;
        this.logFile = logFile;
        this.cgroup = cgroup;
    }

    /** Starts {@code command} with stdout and stderr in {@code logFile}. */
    static ServerProcess start(List<String> command, String cpus, Cgroup cgroup, Path logFile) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        // A bench started under nohup, or in the background by a shell, hands its children SIGHUP
        // and SIGINT ignored, and a JVM does not install a handler for an ignored HUP, INT or TERM:
        // forkchatd could then neither reload nor stop. The server starts with them at default.
        cmd.addAll(List.of("env", "--default-signal=HUP,INT,TERM"));
        if (cgroup != null) {
            cmd.addAll(List.of("sh", "-c", "echo $$ > '" + cgroup.procsFile() + "' && exec \"$@\"", "sh"));
        }
        cmd.addAll(command);
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        ServerProcess server = new ServerProcess(p, logFile, cgroup);
        LiveProcesses.add(server);
        return server;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The processes of the server now: its cgroup's, or the root and its descendants. */
    List<Long> members() {
        if (cgroup != null) {
            return cgroup.pids();
        }
        return ProcFs.tree(process.pid());
    }

    /** The log so far. */
    List<String> log() {
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits (bounded) for a log line matching {@code wanted}; returns it, or null on timeout or exit. */
    String awaitLog(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            List<String> lines = log();
            for (int i = seen; i < lines.size(); i++) {
                if (wanted.test(lines.get(i))) {
                    return lines.get(i);
                }
            }
            seen = Math.max(0, lines.size() - 1); // the last line may still be growing
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Sends {@code signal} (HUP, TERM, KILL …) to the root process. */
    void signal(String signal) throws IOException, InterruptedException {
        kill(signal, Long.toString(process.pid()));
    }

    /**
     * Stops the server: SIGTERM, up to {@code grace} for it to exit, then SIGKILL for the rest.
     * Returns how many processes had to be killed (0: it stopped cleanly and left nothing).
     */
    int stop(Duration grace) throws InterruptedException {
        Set<Long> seen = new LinkedHashSet<>(members());
        long pgid = ProcFs.processGroup(process.pid());
        int killed = 0;
        process.destroy(); // SIGTERM
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            killed++;
            if (pgid == process.pid()) {
                killQuietly("KILL", "-" + pgid);
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        // forkchatd's workers leave by themselves once the supervisor is gone: give them a moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0 && anyAlive(seen)) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        if (cgroup != null) {
            seen.addAll(cgroup.pids());
        }
        for (long pid : seen) {
            var handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().isAlive()) {
                killed++;
                handle.get().destroyForcibly();
            }
        }
        if (cgroup != null) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!cgroup.pids().isEmpty() && System.nanoTime() - until < 0) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        LiveProcesses.remove(this);
        return killed;
    }

    /** Last resort (JVM shutdown): SIGKILL to everything of the server, no waiting. */
    void killNow() {
        List<Long> all = new ArrayList<>(members());
        long pgid = ProcFs.processGroup(process.pid());
        if (pgid == process.pid()) {
            killQuietly("KILL", "-" + pgid);
        }
        process.destroyForcibly();
        for (long pid : all) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean anyAlive(Set<Long> pids) {
        for (long pid : pids) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static void kill(String signal, String target) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + signal, "--", target).redirectErrorStream(true).start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + target + " failed");
        }
    }

    private static void killQuietly(String signal, String target) {
        try {
            kill(signal, target);
        } catch (IOException | InterruptedException e) {
            // already gone
        }
    }
}
