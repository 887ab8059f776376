package forkchat.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from the test class path, with its stdout read line by line
 * into a queue (so every wait on it is bounded) and its stderr kept for failure messages.
 * Closing it kills the process if it is still alive and waits for it.
 */
final class ChildJvm implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true),
                "child-" + process.pid() + "-out");
        Thread err = new Thread(() -> pump(new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false),
                "child-" + process.pid() + "-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    private void pump(BufferedReader r, boolean toQueue) {
        try (r) {
            String line;
            while ((line = r.readLine()) != null) {
                if (toQueue) {
                    lines.add(line);
                } else {
                    stderr.append(line).append('\n');
                }
            }
        } catch (IOException ignored) {
            // process gone
        } finally {
            if (toQueue) {
                lines.add(EOF);
            }
        }
    }

    /** The java command line for {@code main} with {@code args}: same java, same class path. */
    static List<String> command(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-exports");
        cmd.add("java.base/sun.nio.ch=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        // small and quick to start; these children live for a second or two
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xss512k",
                "-XX:-UsePerfData", "-Xshare:auto"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static ChildJvm start(Class<?> main, String... args) throws IOException {
        return start(command(main, args));
    }

    static ChildJvm start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new ChildJvm(pb.start());
    }

    long pid() {
        return process.pid();
    }

    /** The next stdout line, waiting at most {@code timeout}; fails on timeout or EOF. */
    String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("child " + pid() + " printed nothing within " + timeout
                    + "; stdout so far " + seen + "; stderr:\n" + stderr);
        }
        if (line.equals(EOF)) {
            lines.add(EOF);
            throw new AssertionError("child " + pid() + " closed stdout (alive=" + process.isAlive()
                    + "); stdout " + seen + "; stderr:\n" + stderr);
        }
        seen.add(line);
        return line;
    }

    /** Skips lines until one starts with {@code prefix}; returns it. Bounded by {@code timeout} overall. */
    String expect(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("child " + pid() + " did not print '" + prefix + "' within "
                        + timeout + "; stdout " + seen + "; stderr:\n" + stderr);
            }
            String line = nextLine(Duration.ofNanos(left));
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for exit at most {@code timeout}; fails if it is still running. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + pid() + " still running after " + timeout
                    + "; stdout " + seen + "; stderr:\n" + stderr);
        }
        return process.exitValue();
    }

    String stderr() {
        return stderr.toString();
    }

    List<String> stdoutSeen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("child " + pid() + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
