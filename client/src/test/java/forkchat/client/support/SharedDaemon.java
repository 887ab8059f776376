package forkchat.client.support;

import forkchat.daemon.DaemonProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real forkchatd on a loopback port for all the client's integration test classes that do
 * not need a daemon of their own (starting one costs seconds): injected as a
 * {@link DaemonProcess} parameter, created on first use, stopped (with every worker JVM) and its
 * state directory removed when the test run ends (JUnit closes the root store's values).
 */
public final class SharedDaemon implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DaemonProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class).daemon;
    }

    /** The daemon and its state directory, closed at the end of the run. */
    static final class Running implements AutoCloseable {
        final Path stateDir;
        final DaemonProcess daemon;

        private Running(Path stateDir, DaemonProcess daemon) {
            this.stateDir = stateDir;
            this.daemon = daemon;
        }

        static Running start() {
            try {
                Path dir = Files.createTempDirectory("forkchat-client-it");
                return new Running(dir, DaemonProcess.start(dir, "pool_min_spare=2"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            daemon.close();
            deleteTree(stateDir);
        }
    }

    /** Removes a directory tree (best effort). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
