package forkchat.daemon;

import forkchat.chat.Event;
import forkchat.chat.EventCodec;
import forkchat.config.Config;
import forkchat.config.ConfigException;
import forkchat.ipc.LogEntry;
import forkchat.ipc.LogRecovery;
import forkchat.ipc.LogScan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code forkchatd log verify | dump}: the message log for administrators. Both read the log
 * read-only ({@link LogScan}: O_RDONLY, batches under LOCK_SH, nothing written, nothing truncated),
 * so they are safe on the log of a running daemon; what they report is the log as it was when
 * they began. The log is the segment directory {@code $state_dir/log} of the configuration
 * ({@code --config}, {@code -c}, before or after the subcommand), or {@code --state-dir}, or a PATH
 * given outright: a log directory, one segment file, or the single-file log of an older version.
 *
 * <p>Exit status: 0 the log is whole; 1 it has damage (a corrupt stretch, a torn tail, a record
 * this version cannot decode); 66 no such log; 74 it cannot be read; 78 a bad configuration.
 */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Inspect the message log (read-only; safe while the daemon runs).",
        subcommands = {LogCommand.Verify.class, LogCommand.Dump.class})
final class LogCommand {

    /** The log has damage (verify), like cmp(1) and fsck's "errors left". */
    static final int DAMAGED = 1;
    /** sysexits(3): no such input. */
    static final int EX_NOINPUT = 66;
    /** sysexits(3): an input/output error. */
    static final int EX_IOERR = 74;

    @ParentCommand
    Forkchatd forkchatd;

    /** What both subcommands take: where the log is. */
    abstract static class Source implements Callable<Integer> {
        @ParentCommand
        LogCommand log;

        @Option(names = "--state-dir", paramLabel = "DIR", description = "the daemon's state directory")
        Path stateDir;

        @Option(names = "--config", paramLabel = "FILE", description = "config file (its state_dir)")
        Path configFile;

        @Option(names = "-c", paramLabel = "KEY=VALUE", description = "a setting, e.g. -c state_dir=DIR (repeatable)")
        List<String> overrides = new ArrayList<>();

        @Parameters(arity = "0..1", paramLabel = "PATH",
                description = "the log directory, or one segment file (default: $state_dir/log)")
        Path file;

        Path logPath() {
            if (file != null) {
                return file;
            }
            List<String> settings = new ArrayList<>(log.forkchatd.overrides);
            settings.addAll(overrides);
            if (stateDir != null) {
                settings.add("state_dir=" + stateDir);
            }
            Config config = Config.load(configFile != null ? configFile : log.forkchatd.configFile, settings);
            Path legacy = config.stateDir().resolve(forkchat.ipc.LogSegments.LEGACY_FILE);
            // a state directory the daemon has not started on since segments came: its single file
            return !Files.exists(config.logDir()) && Files.isRegularFile(legacy) ? legacy : config.logDir();
        }

        @Override
        public final Integer call() {
            Path f;
            try {
                f = logPath();
            } catch (ConfigException e) {
                System.err.println("forkchatd: " + e.getMessage());
                return Forkchatd.EX_CONFIG;
            }
            if (!Files.isRegularFile(f) && !Files.isDirectory(f)) {
                System.err.println("forkchatd: no message log at " + f);
                return EX_NOINPUT;
            }
            PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
            try {
                return run(f, out);
            } catch (IOException | UncheckedIOException e) {
                out.flush();
                System.err.println("forkchatd: " + f + ": " + e.getMessage());
                return EX_IOERR;
            } finally {
                out.flush();
            }
        }

        abstract int run(Path file, PrintWriter out) throws IOException;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Read the whole log and check every record (magic, lengths, CRC32C, payload).",
                "Reports the record count, the first and last record's time, every corrupt stretch with its",
                "byte offset, and a torn tail. Exit 0 if the log is whole, 1 if not."})
    static final class Verify extends Source {
        @Override
        int run(Path file, PrintWriter out) throws IOException {
            List<String> problems = new ArrayList<>();
            LogScan.Result r = LogScan.read(file, new LogScan.Visitor() {
                @Override
                public void record(LogEntry entry) {
                    String undecodable = LogLines.undecodable(entry);
                    if (undecodable != null) {
                        problems.add("offset " + entry.offset() + ": record of " + entry.payload().length
                                + " payload bytes does not decode (" + undecodable + "); the daemon skips it");
                    }
                }

                @Override
                public void damage(LogRecovery.Damage d, boolean tail) {
                    problems.add(tail
                            ? "offset " + d.offset() + ": torn tail of " + d.length() + " bytes (" + d.reason()
                                    + "); the daemon truncates it when it next starts"
                            : "offset " + d.offset() + ": corrupt stretch of " + d.length() + " bytes (" + d.reason()
                                    + "); readers skip it");
                }
            });
            out.println(file + ": " + r.records() + " records, " + r.size() + " bytes"
                    + (r.segments() > 1 ? " in " + r.segments() + " segments" : "")
                    + (r.start() > 0 ? " (offsets from " + r.start() + ": older records removed by retention)" : ""));
            if (r.records() > 0) {
                out.println("  first record " + Instant.ofEpochMilli(r.firstTime()) + ", last record "
                        + Instant.ofEpochMilli(r.lastTime()));
            }
            for (String p : problems) {
                out.println("  " + p);
            }
            out.println(problems.isEmpty() ? "ok" : problems.size() + (problems.size() == 1 ? " problem" : " problems"));
            return problems.isEmpty() ? 0 : DAMAGED;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Print every record as one line: offset, time (UTC), writer pid, session, event.",
                "Damage is printed in its place as a '!' line with its offset. Exit 0, also when there is damage",
                "(use verify to check)."})
    static final class Dump extends Source {
        @Override
        int run(Path file, PrintWriter out) throws IOException {
            LogScan.read(file, new LogScan.Visitor() {
                @Override
                public void record(LogEntry entry) {
                    out.println(LogLines.record(entry));
                    if (out.checkError()) {
                        throw new UncheckedIOException(new IOException("standard output closed"));
                    }
                }

                @Override
                public void damage(LogRecovery.Damage d, boolean tail) {
                    out.println(LogLines.damage(d, tail));
                }
            });
            return 0;
        }
    }

    /** One readable line per record, for {@code dump} (and for tests that read the log). */
    static final class LogLines {
        private LogLines() {
        }

        static String record(LogEntry e) {
            String head = String.format("%10d %s pid=%d ", e.offset(), Instant.ofEpochMilli(e.timeMillis()), e.pid());
            Event event;
            try {
                event = EventCodec.decode(e.payload());
            } catch (IllegalArgumentException x) {
                return head + "UNDECODABLE " + e.payload().length + " bytes (" + safe(x.getMessage()) + ")";
            }
            return head + safe(describe(event));
        }

        static String damage(LogRecovery.Damage d, boolean tail) {
            return String.format("%10d ! %s of %d bytes (%s)", d.offset(), tail ? "TORN TAIL" : "CORRUPT", d.length(),
                    d.reason());
        }

        /** Why the record does not decode, or null if it does. */
        static String undecodable(LogEntry e) {
            try {
                EventCodec.decode(e.payload());
                return null;
            } catch (IllegalArgumentException x) {
                return safe(x.getMessage());
            }
        }

        static String describe(Event event) {
            return switch (event) {
                case Event.ServerStart e -> "SERVER-START " + e.serverName();
                case Event.Connect e -> "s=" + e.session() + " CONNECT " + e.nick() + "!" + e.user() + "@" + e.host()
                        + " :" + e.realname();
                case Event.NickChange e -> "s=" + e.session() + " NICK " + e.oldNick() + " -> " + e.newNick();
                case Event.Join e -> "s=" + e.session() + " JOIN " + e.nick() + " " + e.channel();
                case Event.Part e -> "s=" + e.session() + " PART " + e.nick() + " " + e.channel() + " :" + e.reason();
                case Event.Quit e -> "s=" + e.session() + " QUIT :" + e.reason();
                case Event.Topic e -> "s=" + e.session() + " TOPIC " + e.nick() + " " + e.channel() + " :" + e.text();
                case Event.Message e -> "s=" + e.session() + " " + (e.notice() ? "NOTICE" : "PRIVMSG") + " "
                        + e.source() + " -> " + e.target() + " :" + e.text();
                case Event.Away e -> "s=" + e.session() + " AWAY :" + e.message();
            };
        }

        /** Control characters as \xNN: a hostile nick or text must not drive the administrator's terminal. */
        static String safe(String s) {
            StringBuilder out = null;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
                if (control && out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                if (out != null) {
                    if (control) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
            return out == null ? s : out.toString();
        }
    }
}
