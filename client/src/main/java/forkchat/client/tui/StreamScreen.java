package forkchat.client.tui;

import forkchat.client.irc.Line;
import forkchat.client.irc.Screen;
import java.io.PrintStream;

/**
 * The session's {@link Screen} when the client does not run on a terminal (input or output
 * redirected): every line rendered without colour and printed as a plain line, flushed at once,
 * with no prompt and no input echo, so that a log file or a pipe gets exactly the conversation.
 */
public final class StreamScreen implements Screen {

    private final PrintStream out;
    private final LineRenderer renderer;
    private volatile String target;

    public StreamScreen(PrintStream out, LineRenderer renderer) {
        this.out = out;
        this.renderer = renderer;
    }

    @Override
    public void show(Line line) {
        String text = renderer.render(line, target).toString();
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    @Override
    public void status(Status status) {
        target = status.target();
    }
}
