package forkchat.ipc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What some classes log while a test runs, kept in {@link #list}; {@link #close} stops listening. */
final class CapturedLog implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Class<?>[] sources;
    /** Every event logged so far, oldest first. */
    final List<ILoggingEvent> list = appender.list;

    private CapturedLog(Class<?>[] sources) {
        this.sources = sources;
        appender.start();
        for (Class<?> source : sources) {
            ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
        }
    }

    static CapturedLog of(Class<?>... sources) {
        return new CapturedLog(sources);
    }

    @Override
    public void close() {
        for (Class<?> source : sources) {
            ((Logger) LoggerFactory.getLogger(source)).detachAppender(appender);
        }
    }
}
