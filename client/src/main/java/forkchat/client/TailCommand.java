package forkchat.client;

import forkchat.client.irc.Session;
import forkchat.client.net.Backoff;
import forkchat.client.net.Dialer;
import forkchat.client.net.Link;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code forkchat tail}: follows channels and prints each message as one line
 * ({@code HH:MM:SS <nick> text}) until interrupted, reconnecting like the interactive client
 * (without printing a line twice). It ends quietly with status 0 when its output pipe is
 * closed ({@code forkchat tail | head -3}), with 1 when registration fails for good, and on
 * SIGINT/SIGTERM after sending QUIT.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print the messages of channels, one line each ('HH:MM:SS <nick> text'), until interrupted.",
            "The history the server replays on join comes first, unless --no-history."})
final class TailCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions options;

    @Option(names = "--no-history", description = "only new messages, not the history replayed on join")
    boolean noHistory;

    private final Map<String, String> env;

    TailCommand() {
        this(System.getenv());
    }

    TailCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Profile profile = Profile.resolve(options, Profile.configFor(options, env), env, ConsolePrompt::ask);
        TailPrinter printer = new TailPrinter(new FileOutputStream(FileDescriptor.out), System.err, ZoneId.systemDefault(),
                profile.channels().size() > 1, !noHistory);
        Session session = new Session(profile.identity(), profile.channels(), printer, Clock.systemUTC());
        Link link = new Link(new Dialer(profile.address(), profile.tls(), profile.insecure()), session,
                Backoff.standard(), Link.IDLE);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> stop(session, link)));
        link.start();
        session.await(s -> printer.closed().getCount() == 0 || s.failure() != null || s.ended(),
                Duration.ofDays(3650));
        return printer.closed().getCount() == 0 ? 0 : 1;
    }

    private static void stop(Session session, Link link) {
        boolean online = session.isOnline();
        session.quit("forkchat tail");
        try {
            if (online) {
                link.awaitEnd(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.stop();
    }
}
