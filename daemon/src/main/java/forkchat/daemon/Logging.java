package forkchat.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import forkchat.config.Config;
import forkchat.config.Settings;
import org.slf4j.LoggerFactory;

/**
 * Where forkchatd's log goes: stderr by default (journald and daemon(8) take it from there), or
 * {@code log_file}, reopened on SIGHUP so that logrotate can move it away; and at which level.
 * Worker JVMs' lines come through the supervisor, so they follow it.
 */
final class Logging {

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n%ex";

    private static FileAppender<ILoggingEvent> file;

    private Logging() {
    }

    /** Applies {@code log_level} and {@code log_file}; on a reload, reopens the file. */
    static synchronized void apply(Config config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration rules
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.get(Settings.LOG_LEVEL), Level.INFO));
        String path = config.get(Settings.LOG_FILE);
        if (file != null) {
            root.detachAppender(file);
            file.stop();
            file = null;
        }
        Appender<ILoggingEvent> stderr = root.getAppender("STDERR");
        if (path.isEmpty()) {
            if (stderr != null) {
                stderr.start();
            }
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(path);
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            root.warn("cannot open log_file {}; logging to stderr", path);
            return;
        }
        root.addAppender(appender);
        file = appender;
        if (stderr != null) {
            stderr.stop();
        }
    }
}
