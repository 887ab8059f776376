package forkchat.client;

import forkchat.client.irc.Session;
import forkchat.client.net.Backoff;
import forkchat.client.net.Dialer;
import forkchat.client.net.Link;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code forkchat send}: connects, joins, sends TEXT (or every line of standard input as it
 * arrives) and leaves, with an exit status a script can trust: 0 only once the server has
 * acknowledged every message: its echo of each (echo-message) and the answer to a PING sent
 * after the last one, which the server can only send once it has processed everything before.
 * A refused message (no such channel, banned...) or a lost connection exits with 1; nothing is
 * retried, so nothing is sent twice.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send a message to channels (or nicks) and quit.",
            "Without TEXT, each line of standard input is one message, sent as it arrives.",
            "Exits 0 once the server has acknowledged every message, 1 otherwise."})
final class SendCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions options;

    @Option(names = "--to", paramLabel = "NICK", description = "send privately to NICK (repeatable); then no channel unless --channel is given")
    List<String> nicks = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "give up when the server does not answer within this long (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "the message (the words are joined with spaces)")
    List<String> text = new ArrayList<>();

    private final Map<String, String> env;
    private final PrintStream err;

    SendCommand() {
        this(System.getenv(), System.err);
    }

    SendCommand(Map<String, String> env, PrintStream err) {
        this.env = env;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        Profile profile = Profile.resolve(options, Profile.configFor(options, env), env, ConsolePrompt::ask);
        List<String> channels = options.channels.isEmpty() && !nicks.isEmpty() ? List.of() : profile.channels();
        List<String> targets = new ArrayList<>(channels);
        targets.addAll(nicks);
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        Session session = new Session(profile.identity(), channels, new ErrorScreen(err, "forkchat send"), Clock.systemUTC());
        Link link = new Link(new Dialer(profile.address(), profile.tls(), profile.insecure()), session, Backoff.none(), Link.IDLE);
        link.start();
        try {
            boolean ready = session.await(s -> (s.isOnline() && channels.stream().allMatch(s::isJoined))
                    || s.ended() || s.failure() != null || s.errors() > 0, timeout);
            if (!ready) {
                return fail("no answer from " + profile.address() + " within " + timeout.toSeconds() + " s");
            }
            if (!session.isOnline() || session.errors() > 0) {
                return 1; // the reason is already on stderr
            }
            if (!text.isEmpty()) {
                sendToAll(session, targets, String.join(" ", text));
            } else {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!session.isOnline() || session.errors() > 0) {
                        return 1;
                    }
                    if (!line.isBlank()) {
                        sendToAll(session, targets, line);
                    }
                }
            }
            return acknowledged(session, timeout) ? 0 : 1;
        } finally {
            session.quit("forkchat send");
            link.awaitEnd(Duration.ofSeconds(5));
            link.stop();
        }
    }

    private static void sendToAll(Session session, List<String> targets, String line) {
        for (String target : targets) {
            session.say(target, line);
        }
    }

    /** Waits for the echoes and a PING round trip; false (with a message) when they do not come. */
    private boolean acknowledged(Session session, Duration timeout) throws InterruptedException {
        String token = "forkchat-send-" + Long.toHexString(System.nanoTime());
        session.ping(token);
        boolean answered = session.await(s -> (s.ponged(token) && (!s.hasCap("echo-message") || s.echoes() >= s.sent()))
                || s.ended() || s.errors() > 0, timeout);
        if (session.errors() > 0) {
            return false;
        }
        if (!answered || !session.ponged(token)) {
            fail(session.ended() ? "the connection was lost before the server acknowledged every message"
                    : "the server did not acknowledge within " + timeout.toSeconds() + " s");
            return false;
        }
        return true;
    }

    private int fail(String why) {
        err.println("forkchat send: " + why);
        return 1;
    }
}
