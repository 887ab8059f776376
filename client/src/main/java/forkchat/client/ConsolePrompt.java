package forkchat.client;

import java.io.Console;

/** Asks for a password on the console, without echo ({@code send} and {@code tail}). */
final class ConsolePrompt {

    private ConsolePrompt() {
    }

    /** The typed password, or null when there is no console. */
    static String ask(String question) {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        char[] typed = console.readPassword("%s", question);
        return typed == null ? null : new String(typed);
    }
}
