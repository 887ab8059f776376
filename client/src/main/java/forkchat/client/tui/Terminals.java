package forkchat.client.tui;

import java.io.Console;
import java.io.IOException;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Whether the client talks to a terminal, whether to use colour, and the JLine terminal. JLine's
 * "exec" provider is used (it drives the tty with {@code stty}), which needs no native library
 * and so no {@code --enable-native-access}. When input or output is redirected JLine is not used
 * at all: the client reads and prints plain lines.
 */
public final class Terminals {

    private Terminals() {
    }

    /** Whether standard input and output are both a terminal. */
    public static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: a Console exists even when redirected; isTerminal() tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a Console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Colour only on a terminal, and not when NO_COLOR is set (https://no-color.org) or TERM is dumb. */
    public static boolean colorWanted(Map<String, String> env, boolean terminal) {
        String noColor = env.get("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    /** The system terminal (call only when {@link #isTerminal()}). */
    public static Terminal open() throws IOException {
        // Only "exec": JLine otherwise probes its native providers, which loads a native library;
        // and no native helper to check a redirected stderr either (it would warn on JDK 24+).
        if (System.getProperty(TerminalBuilder.PROP_REDIRECT_PIPE_CREATION_MODE) == null) {
            System.setProperty(TerminalBuilder.PROP_REDIRECT_PIPE_CREATION_MODE,
                    TerminalBuilder.PROP_REDIRECT_PIPE_CREATION_MODE_REFLECTION);
        }
        return TerminalBuilder.builder().name("forkchat").system(true).providers("exec")
                .ffm(false).jni(false).jansi(false).jna(false).exec(true).dumb(true).build();
    }
}
