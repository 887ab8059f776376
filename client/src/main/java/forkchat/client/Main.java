package forkchat.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code forkchat}: the terminal IRC client. Without a subcommand it is the interactive chat
 * ({@link Interactive}); {@code send} and {@code tail} are for scripts ({@link SendCommand},
 * {@link TailCommand}). Exit status: 0 done, 1 failed (cannot connect, refused, not
 * acknowledged), 2 bad command line or configuration.
 */
@Command(name = "forkchat", mixinStandardHelpOptions = true, version = "forkchat 0.1",
        subcommands = {SendCommand.class, TailCommand.class},
        description = {"The terminal IRC client of forkchat; works with any IRC server.",
            "Without a subcommand: chat interactively (/help inside lists the commands).",
            "Settings come from the options, then $XDG_CONFIG_HOME/forkchat/config (~/.config/forkchat/config).",
            "A SASL password comes from --ask-password, --password-file or FORKCHAT_PASSWORD, never an argument."},
        footer = {"", "Examples:",
            "  forkchat --server irc.example.org --tls --nick carol --channel lobby",
            "  forkchat send --server 127.0.0.1:6667 --channel '#ops' 'backup finished'",
            "  make 2>&1 | forkchat send --channel builds",
            "  forkchat tail --channel lobby | grep -i carol"})
public final class Main implements Callable<Integer> {

    @Mixin
    ConnectionOptions options;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with forkchat's error handling. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::badParameter);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof IllegalArgumentException) {
                err.println("forkchat: " + e.getMessage());
                return 2;
            }
            if (e instanceof IOException) {
                err.println("forkchat: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl;
    }

    private static int badParameter(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("forkchat: " + e.getMessage());
        if (e.getMessage().contains("--channel") || e.getMessage().contains("'-c'")) {
            err.println("forkchat: (in a shell an unquoted #name starts a comment: write '#lobby', or just lobby)");
        }
        err.println("forkchat: see " + e.getCommandLine().getCommandName() + " --help");
        return 2;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        return new Interactive(options, env).run();
    }
}
