package forkchat.daemon;

import forkchat.config.Config;
import forkchat.config.ConfigException;
import forkchat.config.Setting;
import forkchat.config.Settings;
import forkchat.worker.ChatSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code forkchatd} command line: runs the supervisor, or an admin subcommand. */
@Command(name = "forkchatd", mixinStandardHelpOptions = true, version = ChatSettings.VERSION,
        description = {
            "forkchat's IRC daemon: a supervisor JVM that hands every client to a worker JVM of its own.",
            "Runs in the foreground until SIGTERM (graceful stop) or SIGINT (fast stop).", ""},
        subcommands = {Forkchatd.SettingsCommand.class, Forkchatd.CheckConfig.class, UserCommand.class,
            LogCommand.class})
public final class Forkchatd implements Callable<Integer> {

    /** sysexits(3): configuration error. */
    static final int EX_CONFIG = 78;
    /** sysexits(3): cannot create or bind something the daemon needs. */
    static final int EX_OSERR = 71;
    /** sysexits(3): internal software error. */
    static final int EX_SOFTWARE = 70;

    @Option(names = "--config", paramLabel = "FILE", description = "config file of 'key = value' lines")
    Path configFile;

    @Option(names = "-c", paramLabel = "KEY=VALUE",
            description = "set one setting (repeatable; overrides the config file)")
    List<String> overrides = new ArrayList<>();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Forkchatd());
        cli.getHelpSectionMap().put("settings", help -> settingsHelp());
        List<String> sections = new ArrayList<>(cli.getHelpSectionKeys());
        sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING), "settings");
        cli.setHelpSectionKeys(sections);
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        Config config;
        try {
            config = Config.load(configFile, overrides);
        } catch (ConfigException e) {
            System.err.println("forkchatd: " + e.getMessage());
            return EX_CONFIG;
        }
        Logging.apply(config);
        Logger log = LoggerFactory.getLogger(Forkchatd.class);
        try {
            return new Supervisor(config, configFile, overrides).run();
        } catch (java.io.IOException e) {
            log.error("forkchatd cannot start: {}", e.getMessage());
            return EX_OSERR;
        } catch (RuntimeException e) {
            log.error("forkchatd failed", e);
            return EX_SOFTWARE;
        }
    }

    private static String settingsHelp() {
        StringBuilder out = new StringBuilder("%nSettings (key = default: meaning):%n".formatted());
        for (Setting<?> s : Settings.all()) {
            out.append("  ").append(s.key()).append(" = ").append(s.defaultText().isEmpty() ? "\"\"" : s.defaultText())
                    .append(System.lineSeparator()).append("      ").append(s.meaning()).append(System.lineSeparator());
        }
        return out.append(System.lineSeparator()).toString();
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Print every setting with its default and meaning, as a config file.")
    static final class SettingsCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(Settings.sampleConfig());
            return 0;
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true,
            description = "Check a config file (and -c options); exit 0 if forkchatd would accept it.")
    static final class CheckConfig implements Callable<Integer> {
        @CommandLine.ParentCommand
        Forkchatd parent;

        @CommandLine.Parameters(arity = "0..1", paramLabel = "FILE", description = "config file (default: --config)")
        Path file;

        @Override
        public Integer call() {
            Path f = file != null ? file : parent.configFile;
            try {
                Config.load(f, parent.overrides);
            } catch (ConfigException e) {
                System.err.println("forkchatd: " + e.getMessage());
                return EX_CONFIG;
            }
            System.out.println((f == null ? "defaults" : f.toString()) + ": ok");
            return 0;
        }
    }
}
