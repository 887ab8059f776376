package forkchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bench's side of the load generator: a JVM of its own ({@code forkchat.bench.Main load},
 * the same jars), optionally pinned with taskset, whose stdout lines say where it is and whose
 * stdin carries the {@code go}. See {@link LoadGenerator} for the conversation.
 */
final class LoadProcess implements AutoCloseable {

    /** A small JVM: the generator is one selector thread with a few buffers per client. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    private final Process process;
    private final Path reportFile;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private LoadProcess(Process process, Path reportFile) {
        this.process = process;
        this.reportFile = reportFile;
        Thread.ofPlatform().daemon().name("load-output").start(this::collect);
    }

    static LoadProcess start(Path java, String classPath, String cpus, LoadGenerator.Plan plan, Path runDir)
            throws IOException {
        Path report = runDir.resolve("load-report.properties");
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(java.toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-cp", classPath, Main.class.getName(), "load",
                "--host", plan.host(), "--port", Integer.toString(plan.port()),
                "--clients", Integer.toString(plan.clients()), "--rate", Double.toString(plan.rate()),
                "--size", Integer.toString(plan.size()), "--workload", plan.workload().toString(),
                "--warmup", Durations.format(plan.warmup()), "--duration", Durations.format(plan.duration()),
                "--drain", Durations.format(plan.drain()), "--connect-timeout", Durations.format(plan.connectTimeout()),
                "--connect-parallel", Integer.toString(plan.connectParallel()), "--report", report.toString()));
        if (plan.paced()) {
            cmd.add("--paced");
        }
        Process p = new ProcessBuilder(cmd)
                .redirectError(runDir.resolve("load.log").toFile())
                .start();
        LiveProcesses.add(p);
        return new LoadProcess(p, report);
    }

    long pid() {
        return process.pid();
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the generator is gone
        }
        lines.add("failed the load generator exited (see load.log)");
    }

    /**
     * Waits for the line {@code wanted} (bounded). Returns normally when it comes; throws with the
     * generator's reason when it says {@code failed …} instead, or when the time is up.
     */
    void await(String wanted, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException("the load generator did not say '" + wanted + "' within " + timeout);
            }
            if (line.equals(wanted)) {
                return;
            }
            if (line.startsWith("failed")) {
                throw new LoadFailed(line.substring("failed".length()).strip());
            }
        }
    }

    /**
     * Waits for the next line that is {@code wanted} or starts with {@code progressPrefix}
     * (bounded) and returns it; throws like {@link #await} on {@code failed …} or a timeout.
     */
    String awaitEither(String wanted, String progressPrefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException("the load generator did not say '" + wanted + "' within " + timeout);
            }
            if (line.equals(wanted) || line.startsWith(progressPrefix)) {
                return line;
            }
            if (line.startsWith("failed")) {
                throw new LoadFailed(line.substring("failed".length()).strip());
            }
        }
    }

    /** Paced connects: lets the next client connect. */
    void next() throws IOException {
        send("next");
    }

    void go() throws IOException {
        send("go");
    }

    private void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }


    /** The report the generator wrote (also after a failure, if it got that far). */
    LoadReport report() throws IOException {
        return LoadReport.read(reportFile);
    }

    boolean hasReport() {
        return reportFile.toFile().isFile();
    }

    /** Ends the generator: EOF on its stdin, a bounded wait, then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        LiveProcesses.remove(process);
    }

    /** The generator said it failed; the message is its reason. */
    static final class LoadFailed extends IOException {
        LoadFailed(String reason) {
            super(reason);
        }
    }
}
