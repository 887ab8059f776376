package forkchat.daemon;

import java.util.function.IntSupplier;
import org.apache.commons.exec.LogOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker JVM's stdout and stderr, line by line, into the supervisor's log with the worker's
 * pid. Workers write {@code LEVEL logger: message} (forkchat-worker-logback.xml); the level is
 * kept. An indented line or a "Caused by:" continues the previous line (a stack trace) at its
 * level; any other line without a level comes from the JVM itself (an unknown option, a crash,
 * a warning) and is logged as a warning.
 */
final class WorkerOutput extends LogOutputStream {

    private static final Logger log = LoggerFactory.getLogger("forkchat.worker");

    private final IntSupplier pid;
    private String level = "WARN";

    WorkerOutput(IntSupplier pid) {
        this.pid = pid;
    }

    @Override
    protected void processLine(String line, int ignored) {
        String text = line;
        int space = line.indexOf(' ');
        String first = space > 0 ? line.substring(0, space) : "";
        if (first.matches("ERROR|WARN|INFO|DEBUG|TRACE")) {
            level = first;
            text = line.substring(space + 1);
        } else if (!line.startsWith("\t") && !line.startsWith(" ") && !line.startsWith("Caused by:")) {
            level = "WARN";
        }
        int p = pid.getAsInt();
        switch (level) {
            case "ERROR" -> log.error("worker {}: {}", p, text);
            case "WARN" -> log.warn("worker {}: {}", p, text);
            case "DEBUG" -> log.debug("worker {}: {}", p, text);
            case "TRACE" -> log.trace("worker {}: {}", p, text);
            default -> log.info("worker {}: {}", p, text);
        }
    }
}
