package forkchat.daemon;

import forkchat.config.Config;
import forkchat.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Starts worker JVMs with Commons Exec: the same java and class path as the supervisor, the
 * small-footprint options of {@code worker_jvm_options}, and the effective settings as
 * {@code -c} options. The child inherits the supervisor's process group and its ignored
 * SIGUSR1; Commons Exec gives it pipes for 0-2, which are pumped into the supervisor's log.
 */
final class WorkerLauncher {

    private volatile Config config;
    private final long foldFrom;
    private final long startedMillis;
    private final Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath = System.getProperty("java.class.path");

    WorkerLauncher(Config config, long foldFrom, long startedMillis) {
        this.config = config;
        this.foldFrom = foldFrom;
        this.startedMillis = startedMillis;
    }

    /** Workers spawned from now on get {@code next}'s settings. */
    void reconfigure(Config next) {
        config = next;
    }

    /** The worker's command line (also shown by the tests and the logs). */
    CommandLine commandLine() {
        Config config = this.config;
        CommandLine cmd = new CommandLine(javaBinary.toString());
        for (String option : config.get(Settings.WORKER_JVM_OPTIONS).trim().split("\\s+")) {
            if (!option.isEmpty()) {
                cmd.addArgument(option, false);
            }
        }
        cmd.addArgument("--enable-native-access=ALL-UNNAMED", false);
        if (Runtime.version().feature() >= 24) {
            cmd.addArgument("--sun-misc-unsafe-memory-access=allow", false);
        }
        cmd.addArgument("-Dlogback.configurationFile=forkchat-worker-logback.xml", false);
        cmd.addArgument("-Dforkchat.log.level=" + config.get(Settings.LOG_LEVEL).toUpperCase(Locale.ROOT), false);
        cmd.addArgument("-cp", false);
        cmd.addArgument(classPath, false);
        cmd.addArgument("forkchat.worker.WorkerMain", false);
        cmd.addArgument("--fold-from", false);
        cmd.addArgument(Long.toString(foldFrom), false);
        cmd.addArgument("--started", false);
        cmd.addArgument(Long.toString(startedMillis), false);
        List<String> settings = new ArrayList<>(config.asOverrides());
        settings.add(Settings.STATE_DIR.key() + "=" + config.stateDir());
        settings.add(Settings.RUNTIME_DIR.key() + "=" + config.runtimeDir());
        for (String s : settings) {
            cmd.addArgument("-c", false);
            cmd.addArgument(s, false);
        }
        return cmd;
    }

    /**
     * Starts one worker. {@code onExit} receives its exit status (128+n when killed by signal n)
     * once the process has ended and its output is drained.
     */
    Process launch(IntConsumer onExit) throws IOException {
        AtomicInteger pid = new AtomicInteger();
        CapturingExecutor executor = new CapturingExecutor();
        executor.setExitValues(null);
        WorkerOutput output = new WorkerOutput(pid::get);
        executor.setStreamHandler(new PumpStreamHandler(output, output));
        executor.execute(commandLine(), workerEnvironment(), new ExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                onExit.accept(exitValue);
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                onExit.accept(e.getExitValue());
            }
        });
        try {
            Process process = executor.launched.get(30, TimeUnit.SECONDS);
            pid.set((int) process.pid());
            return process;
        } catch (ExecutionException e) {
            throw new IOException("cannot start a worker JVM: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("a worker JVM did not start within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a worker");
        }
    }

    /**
     * The supervisor's environment minus NOTIFY_SOCKET: only the supervisor speaks to the
     * service manager (systemd ignores others with NotifyAccess=main; better not to ask).
     */
    private static Map<String, String> workerEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.remove("NOTIFY_SOCKET");
        return env;
    }

    /** Commons Exec hides the Process; this captures it at launch (for its pid). */
    private static final class CapturingExecutor extends DefaultExecutor {
        final CompletableFuture<Process> launched = new CompletableFuture<>();

        @SuppressWarnings("deprecation")
        CapturingExecutor() {
            super();
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
            return captured(() -> super.launch(command, env, dir));
        }

        @Override
        @SuppressWarnings("deprecation")
        protected Process launch(CommandLine command, Map<String, String> env, java.io.File dir) throws IOException {
            return captured(() -> super.launch(command, env, dir));
        }

        private interface Launch {
            Process run() throws IOException;
        }

        private Process captured(Launch launch) throws IOException {
            try {
                Process p = launch.run();
                launched.complete(p);
                return p;
            } catch (IOException | RuntimeException e) {
                launched.completeExceptionally(e);
                throw e;
            }
        }
    }
}
