package forkchat.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork model run from the installed jars, as a user runs it: the supervisor records the
 * workers' class-data archive once, workers map it and serve clients, and the next start reuses
 * it instead of recording it again. (The daemon's own tests run from class directories, where
 * CDS does not apply.)
 */
class SharedWorkerClassesTest {

    private static final Pattern READY = Pattern.compile("forkchatd ready: listening on [0-9.]+:(\\d+)");

    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Command tar = Command.run("tar", "-xzf", ArchiveTest.ARCHIVE.toString(), "-C", dir.toString());
        assertEquals(0, tar.exitCode(), tar.describe());
        home = dir.resolve(System.getProperty("forkchat.archive.root", "forkchat"));
    }

    @Test
    void workersShareOneRecordedArchiveAndTheNextStartReusesIt() throws Exception {
        Path state = dir.resolve("state");
        List<String> first = runOnce(state, true);
        assertTrue(first.stream().anyMatch(l -> l.contains("class-data archive") && l.contains("recorded in")),
                String.join("\n", first));
        assertTrue(Files.isRegularFile(state.resolve("worker.jsa")));
        List<String> second = runOnce(state, false);
        assertTrue(second.stream().anyMatch(l -> l.contains("workers start with the class-data archive")),
                String.join("\n", second));
        assertFalse(second.stream().anyMatch(l -> l.contains("recorded in")), "reused, not recorded again");
    }

    /** Starts bin/forkchatd, has one client registered by a worker that maps the archive, stops it. */
    private static List<String> runOnce(Path state, boolean checkMapping) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/forkchatd").toString(), "-c", "state_dir=" + state,
                "-c", "listen=127.0.0.1:0", "-c", "pool_min_spare=1", "-c", "pool_max_spare=2")
                .redirectErrorStream(true);
        pb.environment().putAll(ArchiveTest.jdk());
        Process daemon = pb.start();
        List<String> log = new CopyOnWriteArrayList<>();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the daemon is gone
            }
        });
        try {
            String ready = awaitLine(lines, l -> READY.matcher(l).find());
            assertNotNull(ready, "not ready: " + String.join("\n", log));
            Matcher m = READY.matcher(ready);
            assertTrue(m.find());
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write("NICK cds\r\nUSER cds 0 * :cds\r\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.contains(" 001 cds ")) {
                    // the welcome comes from a worker JVM
                }
                assertNotNull(line, "no welcome");
                if (checkMapping) {
                    boolean mapped = false;
                    for (ProcessHandle worker : daemon.toHandle().descendants().toList()) {
                        Path maps = Path.of("/proc", Long.toString(worker.pid()), "maps");
                        if (Files.isReadable(maps) && Files.readString(maps).contains(state.resolve("worker.jsa").toString())) {
                            mapped = true;
                        }
                    }
                    assertTrue(mapped || !Files.isDirectory(Path.of("/proc/self")), "a worker maps the archive");
                }
            }
        } finally {
            daemon.toHandle().destroy(); // SIGTERM: graceful stop
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                daemon.destroyForcibly();
            }
            reader.join(5_000);
        }
        return log;
    }

    /** The first line the daemon logs that matches, waiting at most two minutes; null if none came. */
    private static String awaitLine(java.util.concurrent.BlockingQueue<String> lines,
                                    java.util.function.Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null || wanted.test(line)) {
                return line;
            }
        }
    }
}
