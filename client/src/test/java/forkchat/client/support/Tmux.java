package forkchat.client.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tmux server of the test's own (its own socket name, so it never touches the user's tmux)
 * with one session that runs a command in a real pseudo-terminal: type keys into it, read what
 * the screen shows. {@link #close()} kills the server and every process of the pane.
 */
public final class Tmux implements AutoCloseable {

    private final String socket;
    private Long panePid;
    private Path socketPath;

    public Tmux(String socket) {
        this.socket = socket;
    }

    /** Whether tmux is installed. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a {@code width}×{@code height} session running {@code command} (a shell command line). */
    public void start(int width, int height, String command) throws IOException, InterruptedException {
        run("new-session", "-d", "-x", Integer.toString(width), "-y", Integer.toString(height), "-s", "main", command);
        panePid = Long.parseLong(run("display-message", "-p", "-t", "main", "#{pane_pid}").strip());
        socketPath = Path.of(run("display-message", "-p", "-t", "main", "#{socket_path}").strip());
    }

    /** Types {@code text} literally (no key names). */
    public void type(String text) throws IOException, InterruptedException {
        run("send-keys", "-t", "main", "-l", text);
    }

    /** Presses keys by tmux name: Enter, Tab, C-d, C-u ... */
    public void press(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "main"));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** The visible screen, one string per line. */
    public String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-t", "main");
    }

    /** Waits (polling the screen, bounded) until it satisfies {@code wanted}; returns it. */
    public String await(Predicate<String> wanted, Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = "";
        while (System.nanoTime() < deadline) {
            shown = screen();
            if (wanted.test(shown)) {
                return shown;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + shown);
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        List<ProcessHandle> pane = new ArrayList<>();
        if (panePid != null) {
            ProcessHandle.of(panePid).ifPresent(h -> {
                pane.addAll(h.descendants().toList());
                pane.add(h);
            });
        }
        try {
            run("kill-server");
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : pane) {
            h.destroyForcibly();
        }
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath); // tmux leaves it behind
            } catch (IOException e) {
                // not ours to worry about any more
            }
        }
        for (ProcessHandle h : pane) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by nobody; the test's own assertions matter
            }
        }
    }
}
