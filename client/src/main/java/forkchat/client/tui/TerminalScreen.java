package forkchat.client.tui;

import forkchat.client.irc.Line;
import forkchat.client.irc.Screen;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.utils.AttributedString;

/**
 * The session's {@link Screen} in a JLine terminal: each line is printed above the input line
 * ({@link LineReader#printAbove}), so what the user is typing stays where it is; a status
 * change redraws the prompt in place. Called from the connection's thread while the input
 * thread sits in {@code readLine}; JLine serialises the two.
 */
public final class TerminalScreen implements Screen {

    private final LineReader reader;
    private final LineRenderer renderer;
    private final boolean color;
    private volatile String target;
    private volatile String prompt = "> ";

    public TerminalScreen(LineReader reader, LineRenderer renderer, boolean color) {
        this.reader = reader;
        this.renderer = renderer;
        this.color = color;
    }

    @Override
    public void show(Line line) {
        AttributedString text = renderer.render(line, target);
        if (color) {
            reader.printAbove(text);
        } else {
            reader.printAbove(text.toString());
        }
    }

    @Override
    public void status(Status status) {
        target = status.target();
        String next = Prompt.of(status);
        if (next.equals(prompt)) {
            return;
        }
        prompt = next;
        if (reader.isReading()) {
            try {
                if (reader instanceof LineReaderImpl impl) {
                    impl.setPrompt(next);
                }
                reader.callWidget(LineReader.REDRAW_LINE);
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // readLine returned meanwhile: the next one shows the new prompt
            }
        }
    }

    /** The prompt for the next readLine. */
    public String prompt() {
        return prompt;
    }
}
