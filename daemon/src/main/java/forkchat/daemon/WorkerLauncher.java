package forkchat.daemon;

import forkchat.config.Config;
import forkchat.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
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
 *
 * <p><b>Class-data sharing.</b> Before the first worker, {@link #prepareSharedArchive} records a
 * dynamic CDS archive of what a worker loads ({@code <state_dir>/worker.jsa}), by running one JVM
 * through a rehearsal of a worker's life with {@code -XX:ArchiveClassesAtExit}, and workers
 * start with {@code -XX:SharedArchiveFile}: their classes come parsed and laid out from one file
 * whose pages every worker shares, which cuts each worker's memory and start-up. The archive is
 * recorded again when the JDK, the jars or the worker options change (a stamp file says what it
 * was made from); CDS refuses class paths with directories, so a daemon run from classes
 * directories (the build's tests) goes without.
 */
final class WorkerLauncher {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WorkerLauncher.class);

    private volatile Config config;
    private final long foldFrom;
    private final long startedMillis;
    private final Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath = System.getProperty("java.class.path");
    /** The workers' class-data archive once recorded, else null. */
    private volatile Path sharedArchive;

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
        CommandLine cmd = jvmWithOptions(config);
        Path archive = sharedArchive;
        if (archive != null) {
            cmd.addArgument("-XX:SharedArchiveFile=" + archive, false);
            // Mapped where it was recorded instead of at a random address: no relocation writes
            // to its pages, so they stay shared between the workers instead of copied into each.
            cmd.addArgument("-XX:+UnlockDiagnosticVMOptions", false);
            cmd.addArgument("-XX:ArchiveRelocationMode=0", false);
            quietCds(cmd);
        }
        return finish(cmd, config, List.of("--fold-from", Long.toString(foldFrom), "--started",
                Long.toString(startedMillis), "--supervisor", Long.toString(ProcessHandle.current().pid())));
    }

    /** The JVM options every worker JVM gets after worker_jvm_options, the class path, main class, arguments, settings. */
    private CommandLine finish(CommandLine cmd, Config config, List<String> arguments) {
        cmd.addArgument("--enable-native-access=ALL-UNNAMED", false);
        if (Runtime.version().feature() >= 24) {
            cmd.addArgument("--sun-misc-unsafe-memory-access=allow", false);
        }
        cmd.addArgument("-Dlogback.configurationFile=forkchat-worker-logback.xml", false);
        cmd.addArgument("-Dforkchat.log.level=" + config.get(Settings.LOG_LEVEL).toUpperCase(Locale.ROOT), false);
        cmd.addArgument("-cp", false);
        cmd.addArgument(classPath, false);
        cmd.addArgument("forkchat.worker.WorkerMain", false);
        for (String a : arguments) {
            cmd.addArgument(a, false);
        }
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
     * GNU env can start the worker with SIGUSR1 blocked, which lets it collect rings with one
     * sigtimedwait on its sender thread instead of the JDK's thread per signal ({@link forkchat.ipc.SignalWaiter}).
     */
    private static final boolean BLOCK_USR1 = envBlocksSignals();

    private static boolean envBlocksSignals() {
        try {
            Process p = new ProcessBuilder("env", "--block-signal=USR1", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Every {@value #TRIM_INTERVAL_MILLIS} ms a worker hands the C heap's free memory back to the
     * kernel ({@code malloc_trim}). Without it a worker keeps about 14 MB of glibc arena that its
     * JIT compiler used while it started and then freed, a third of its PSS; with it a connected
     * worker measured 29 MB instead of 43 MB, at no measurable CPU. The option is a product flag
     * from JDK 22 (on 21 it can be given in worker_jvm_options where the JDK knows it).
     */
    static final int TRIM_INTERVAL_MILLIS = 5000;

    private static final List<String> NATIVE_HEAP_TRIM = Runtime.version().feature() >= 22
            ? List.of("-XX:TrimNativeHeapInterval=" + TRIM_INTERVAL_MILLIS) : List.of();

    /**
     * HotSpot's monitor-deflation thread looks every 250 ms whether inflated monitors need
     * deflating: in an idle connected worker that was a fifth of its CPU (0.22 of 1.1 ms a
     * second), and a worker inflates few monitors. Every {@value #DEFLATION_CHECK_MILLIS} ms is
     * enough (a diagnostic flag, in HotSpot since JDK 15; its 60 s guaranteed pass stays).
     */
    static final int DEFLATION_CHECK_MILLIS = 5000;

    private static final List<String> QUIET_MONITOR_DEFLATION = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:AsyncDeflationInterval=" + DEFLATION_CHECK_MILLIS);

    private CommandLine jvmWithOptions(Config config) {
        CommandLine cmd;
        if (BLOCK_USR1) {
            cmd = new CommandLine("env");
            cmd.addArgument("--block-signal=USR1", false);
            cmd.addArgument(javaBinary.toString(), false);
        } else {
            cmd = new CommandLine(javaBinary.toString());
        }
        // Before worker_jvm_options, so that a value there wins (the last -XX option counts).
        for (String option : NATIVE_HEAP_TRIM) {
            cmd.addArgument(option, false);
        }
        for (String option : QUIET_MONITOR_DEFLATION) {
            cmd.addArgument(option, false);
        }
        for (String option : config.get(Settings.WORKER_JVM_OPTIONS).trim().split("\\s+")) {
            if (!option.isEmpty()) {
                cmd.addArgument(option, false);
            }
        }
        return cmd;
    }

    /** CDS reports on stdout, which a worker's log would show as warnings: it speaks only through our log. */
    private static void quietCds(CommandLine cmd) {
        cmd.addArgument("-Xlog:cds*=off", false);
        if (Runtime.version().feature() >= 25) {
            cmd.addArgument("-Xlog:aot*=off", false);
        }
    }

    /**
     * Makes sure the workers' class-data archive exists and matches this JDK, these jars and
     * these worker options, recording it when not (about a second, once); from then on workers
     * start with it. A failure is logged and workers start without one.
     */
    void prepareSharedArchive() {
        if (!config.get(Settings.WORKER_CDS)) {
            return;
        }
        String[] entries = classPath.split(java.io.File.pathSeparator);
        for (String entry : entries) {
            if (!entry.endsWith(".jar")) {
                log.debug("no class-data archive for workers: the class path has a directory ({})", entry);
                return;
            }
        }
        Config config = this.config;
        Path archive = config.stateDir().resolve("worker.jsa");
        Path stampFile = config.stateDir().resolve("worker.jsa.stamp");
        String stamp;
        try {
            StringBuilder sb = new StringBuilder();
            sb.append(System.getProperty("java.home")).append('\n').append(Runtime.version()).append('\n')
                    .append(config.get(Settings.WORKER_JVM_OPTIONS)).append('\n');
            for (String entry : entries) {
                Path jar = Path.of(entry);
                sb.append(entry).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
            stamp = sb.toString();
            if (Files.isRegularFile(archive) && Files.isRegularFile(stampFile)
                    && Files.readString(stampFile).equals(stamp)) {
                sharedArchive = archive;
                log.info("workers start with the class-data archive {}", archive);
                return;
            }
        } catch (IOException e) {
            log.warn("no class-data archive for workers: {}", e.getMessage());
            return;
        }
        long began = System.nanoTime();
        Path tmp = archive.resolveSibling("worker.jsa.tmp");
        Path rehearsal = null;
        try {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(stampFile);
            rehearsal = Files.createTempDirectory(config.stateDir(), "rehearsal");
            CommandLine cmd = jvmWithOptions(config);
            cmd.addArgument("-XX:ArchiveClassesAtExit=" + tmp, false);
            quietCds(cmd);
            finish(cmd, config, List.of("--rehearse", rehearsal.toString()));
            List<String> argv = new ArrayList<>();
            argv.add(cmd.getExecutable());
            argv.addAll(List.of(cmd.getArguments()));
            // Output to a file, not a pipe read here: a rehearsal that hangs must not hang the
            // start-up with it, and the 60 s bound below is what ends it.
            Path outputFile = rehearsal.resolve("output.txt");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile());
            pb.environment().remove("NOTIFY_SOCKET");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.warn("no class-data archive for workers: the rehearsal took more than 60 s");
                return;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                log.warn("no class-data archive for workers: the rehearsal failed (exit {}): {}", p.exitValue(),
                        Files.readString(outputFile).strip());
                return;
            }
            Files.move(tmp, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(stampFile, stamp);
            sharedArchive = archive;
            log.info("workers start with the class-data archive {} ({} MB, recorded in {} ms)", archive,
                    Files.size(archive) >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        } catch (IOException e) {
            log.warn("no class-data archive for workers: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(rehearsal);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            log.debug("removing {}: {}", dir, e.getMessage());
        }
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
