package forkchat.client;

import forkchat.client.irc.Line;
import forkchat.client.irc.Screen;
import java.io.PrintStream;

/**
 * The {@link Screen} of {@code forkchat send}: a script wants silence on success, so only
 * errors are shown, on standard error, prefixed with the program's name.
 */
final class ErrorScreen implements Screen {

    private final PrintStream err;
    private final String name;

    ErrorScreen(PrintStream err, String name) {
        this.err = err;
        this.name = name;
    }

    @Override
    public void show(Line line) {
        if (line.kind() == Line.Kind.ERROR) {
            err.println(name + ": " + line.text());
        }
    }
}
