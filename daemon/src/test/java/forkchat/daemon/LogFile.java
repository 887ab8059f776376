package forkchat.daemon;

import forkchat.chat.Event;
import forkchat.chat.EventCodec;
import forkchat.ipc.LogEntry;
import forkchat.ipc.LogScan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The message log as tests see it: decoded with the chat module's codec through the same read-only
 * walk as {@code forkchatd log} (safe while the daemon runs), and the admin command itself run as
 * a child JVM.
 */
public final class LogFile {

    /** One decoded record. */
    public record Record(long offset, long timeMillis, int pid, Event event) {
    }

    /** What an admin command printed and how it ended. */
    public record Run(int exit, String output) {
    }

    private LogFile() {
    }

    /** The log directory, {@code $stateDir/log}. */
    public static Path of(Path stateDir) {
        return stateDir.resolve("log");
    }

    /** The newest segment of the log in {@code stateDir} (the one appended to). */
    public static Path activeSegment(Path stateDir) throws IOException {
        Path active = forkchat.ipc.LogSegments.active(of(stateDir));
        if (active == null) {
            throw new IOException("no segment in " + of(stateDir));
        }
        return active;
    }

    /** Every whole record that decodes, in log order. */
    public static List<Record> records(Path log) throws IOException {
        List<Record> out = new ArrayList<>();
        LogScan.read(log, (LogEntry e) -> {
            try {
                out.add(new Record(e.offset(), e.timeMillis(), e.pid(), EventCodec.decode(e.payload())));
            } catch (IllegalArgumentException ignored) {
                // not a chat event: verify reports it
            }
        });
        return out;
    }

    /** The texts of every channel or private message in the log, in log order. */
    public static List<String> messageTexts(Path log) throws IOException {
        return records(log).stream().map(Record::event).filter(ev -> ev instanceof Event.Message)
                .map(ev -> ((Event.Message) ev).text()).toList();
    }

    /** Runs {@code forkchatd ARGS...} as a child JVM and waits (bounded) for it. */
    public static Run forkchatd(String... args) throws IOException, InterruptedException {
        List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forkchatd " + String.join(" ", args) + " did not end; it said:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }
}
