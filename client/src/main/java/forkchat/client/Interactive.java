package forkchat.client;

import forkchat.client.irc.Commands;
import forkchat.client.irc.Screen;
import forkchat.client.irc.Session;
import forkchat.client.net.Backoff;
import forkchat.client.net.Dialer;
import forkchat.client.net.Link;
import forkchat.client.tui.ChatCompleter;
import forkchat.client.tui.LineRenderer;
import forkchat.client.tui.StreamScreen;
import forkchat.client.tui.TerminalScreen;
import forkchat.client.tui.Terminals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * {@code forkchat} without a subcommand: the chat. Two threads: this one blocks reading input
 * and hands each line to {@link Commands}; the {@link Link}'s thread blocks on the socket and
 * hands each server line to the {@link Session}, whose lines the screen prints. Nothing polls.
 *
 * <p>On a terminal the input is JLine's line editor and lines are printed above it
 * ({@link TerminalScreen}); when input or output is redirected, input is read line by line and
 * the conversation is printed as plain lines ({@link StreamScreen}), after waiting for the
 * channels to be joined so that the first input line has somewhere to go. It ends with
 * {@code /quit}, Ctrl-D or the end of input (a QUIT is sent and the server's goodbye awaited
 * briefly), or with a signal (the same from a shutdown hook).
 */
final class Interactive {

    /** How long to wait for the server to close the connection after our QUIT. */
    static final Duration QUIT_GRACE = Duration.ofSeconds(3);

    /** How long redirected input waits for the channels to be joined before it is read. */
    static final Duration JOIN_WAIT = Duration.ofSeconds(30);

    /** Where input lines come from; null at the end of input. */
    @FunctionalInterface
    private interface Input {
        String next() throws IOException, InterruptedException;
    }

    private final ConnectionOptions options;
    private final Map<String, String> env;
    private Link link;

    Interactive(ConnectionOptions options, Map<String, String> env) {
        this.options = options;
        this.env = env;
    }

    int run() throws IOException, InterruptedException {
        ConfigFile config = Profile.configFor(options, env);
        return Terminals.isTerminal() ? onTerminal(config) : onStreams(config);
    }

    private int onTerminal(ConfigFile config) throws IOException, InterruptedException {
        try (Terminal terminal = Terminals.open()) {
            LineReader reader = reader(terminal);
            Profile profile = Profile.resolve(options, config, env, question -> askPassword(reader, question));
            boolean color = Terminals.colorWanted(env, true);
            TerminalScreen screen = new TerminalScreen(reader, renderer(color), color);
            Session session = new Session(profile.identity(), profile.channels(), screen, Clock.systemUTC());
            ((LineReaderImpl) reader).setCompleter(new ChatCompleter(session));
            session.info("forkchat: /help lists the commands; Tab completes; Ctrl-D or /quit leaves");
            chat(profile, session, () -> {
                while (true) {
                    try {
                        return reader.readLine(screen.prompt());
                    } catch (UserInterruptException e) {
                        if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
                            session.info("(Ctrl-D or /quit leaves)");
                        }
                    } catch (EndOfFileException e) {
                        return null;
                    }
                }
            });
        }
        return 0;
    }

    private int onStreams(ConfigFile config) throws IOException, InterruptedException {
        Profile profile = Profile.resolve(options, config, env, ConsolePrompt::ask);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        Screen screen = new StreamScreen(out, renderer(false));
        Session session = new Session(profile.identity(), profile.channels(), screen, Clock.systemUTC());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        chat(profile, session, () -> {
            session.await(s -> (s.isOnline() && profile.channels().stream().allMatch(s::isJoined))
                    || s.ended() || s.failure() != null, JOIN_WAIT);
            return in.readLine();
        });
        return 0;
    }

    /** Connects, reads input until the user leaves, says goodbye. */
    private void chat(Profile profile, Session session, Input input) throws IOException, InterruptedException {
        Commands commands = new Commands(session);
        Dialer dialer = new Dialer(profile.address(), profile.tls(), profile.insecure());
        link = new Link(dialer, session, Backoff.standard(), Link.IDLE);
        Thread hook = Thread.ofPlatform().unstarted(() -> leave(session, "terminal closed"));
        Runtime.getRuntime().addShutdownHook(hook);
        link.start();
        loop:
        for (String line = input.next(); line != null; line = input.next()) {
            switch (commands.handle(line)) {
                case QUIT -> {
                    break loop;
                }
                case RECONNECT -> reconnect(session, dialer);
                case CONTINUE -> {
                }
            }
        }
        leave(session, Commands.DEFAULT_QUIT);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void reconnect(Session session, Dialer dialer) {
        if (link.isFinished()) {
            session.clearFailure();
            link = new Link(dialer, session, Backoff.standard(), Link.IDLE);
            link.start();
        } else {
            link.reconnectNow();
        }
    }

    /** Says goodbye (once), waits briefly for the server to close, stops the link. */
    private void leave(Session session, String reason) {
        boolean online = session.isOnline();
        session.quit(reason);
        try {
            if (online) {
                link.awaitEnd(QUIT_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.stop();
    }

    private static LineRenderer renderer(boolean color) {
        return new LineRenderer(color, ZoneId.systemDefault(), LocalDate::now);
    }

    private static LineReader reader(Terminal terminal) {
        DefaultParser parser = new DefaultParser();
        parser.setQuoteChars(new char[0]); // "don't" is a word, not an open quote
        parser.setEscapeChars(new char[0]);
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("forkchat")
                .parser(parser)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .variable(LineReader.BELL_STYLE, "none")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "hi!" stays "hi!"
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true) // the message shows once, as sent
                .build();
    }

    private static String askPassword(LineReader reader, String question) throws IOException {
        try {
            return reader.readLine(question, '*');
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.getHistory().purge(); // not even the asterisks come back with Up
        }
    }
}
