package forkchat.client;

import forkchat.client.irc.Line;
import forkchat.client.irc.Screen;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;

/**
 * The {@link Screen} of {@code forkchat tail}: one line per message on standard output,
 * {@code HH:MM:SS <nick> text} in local time ({@code * nick text} for an action,
 * {@code -nick- text} for a notice, {@code *nick* text} for a private message), with the channel
 * after the time when several are followed. Each line is flushed at once, so a pipe sees it
 * immediately; when the reader of the pipe goes away (EPIPE: the JVM ignores SIGPIPE), the
 * printer says so through {@link #closed()} and prints nothing more, and tail exits quietly.
 * Errors and connection changes go to standard error.
 */
final class TailPrinter implements Screen {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final OutputStream out;
    private final PrintStream err;
    private final ZoneId zone;
    private final boolean withChannel;
    private final boolean history;
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param out         standard output (raw, unbuffered: each line is one write)
     * @param err         where errors go
     * @param withChannel prefix each line with its channel
     * @param history     print history replayed on join too
     */
    TailPrinter(OutputStream out, PrintStream err, ZoneId zone, boolean withChannel, boolean history) {
        this.out = out;
        this.err = err;
        this.zone = zone;
        this.withChannel = withChannel;
        this.history = history;
    }

    @Override
    public void show(Line line) {
        switch (line.kind()) {
            case MESSAGE, ACTION, NOTICE -> {
                if (line.context() == null || (line.history() && !history) || closed.getCount() == 0) {
                    return;
                }
                write(format(line, withChannel, zone) + "\n");
            }
            case ERROR -> err.println("forkchat tail: " + line.text());
            default -> {
            }
        }
    }

    /** The line as tail prints it (without the newline). */
    static String format(Line line, boolean withChannel, ZoneId zone) {
        StringBuilder sb = new StringBuilder(TIME.format(line.time().atZone(zone))).append(' ');
        if (withChannel && !line.direct()) {
            sb.append(line.context()).append(' ');
        }
        switch (line.kind()) {
            case ACTION -> sb.append("* ").append(line.nick()).append(' ');
            case NOTICE -> sb.append('-').append(line.nick()).append("- ");
            default -> sb.append(line.direct() ? "*" + line.nick() + "* " : "<" + line.nick() + "> ");
        }
        return sb.append(line.text()).toString();
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            closed.countDown(); // the reader went away (EPIPE)
        }
    }

    /** Counted down when standard output can no longer be written. */
    CountDownLatch closed() {
        return closed;
    }
}
