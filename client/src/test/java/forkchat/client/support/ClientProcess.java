package forkchat.client.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code forkchat} as a real child JVM (this test run's class path, {@code forkchat.client.Main}),
 * with a private config directory so the user's own config file cannot interfere and no
 * password in its environment.
 */
public final class ClientProcess implements AutoCloseable {

    private final Process process;

    private ClientProcess(Process process) {
        this.process = process;
    }

    /** The command line that runs the client with {@code args}. */
    public static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1"); // a short-lived client: start fast
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("forkchat.client.Main");
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the client; standard streams are pipes unless the builder is adjusted by {@code configure}. */
    public static ClientProcess start(Path configHome, List<String> args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        Map<String, String> env = pb.environment();
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.remove("FORKCHAT_PASSWORD");
        env.remove("NO_COLOR");
        return new ClientProcess(pb.start());
    }

    public Process process() {
        return process;
    }

    public BufferedReader stdout() {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Writes {@code text} to the client's standard input and closes it. */
    public void feed(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
    }

    /** The exit status, or fails when it does not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the client did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** Everything the client wrote to standard error (after it exited). */
    public String stderr() throws IOException {
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
