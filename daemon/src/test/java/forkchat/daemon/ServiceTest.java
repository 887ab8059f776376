package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** forkchatd as a service manager sees it: readiness, reload, pid file, config checks, log file. */
class ServiceTest {

    @TempDir
    Path dir;

    /** A fake service manager: a datagram socket collecting sd_notify messages. */
    private static final class FakeNotifySocket implements AutoCloseable {
        final UnixDatagramChannel channel = UnixDatagramChannel.open();
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final String address;

        FakeNotifySocket(String address) throws IOException {
            this.address = address;
            channel.bind(new UnixSocketAddress(address.startsWith("@") ? "\0" + address.substring(1) : address));
            Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                try {
                    while (true) {
                        buffer.clear();
                        channel.receive(buffer);
                        buffer.flip();
                        messages.add(StandardCharsets.UTF_8.decode(buffer).toString());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        /** The next message containing {@code assignment}; fails after 20 s. Earlier ones are skipped. */
        String await(String assignment) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                String m = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no sd_notify message with " + assignment);
                }
                if (m.lines().anyMatch(assignment::equals)) {
                    return m;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @ParameterizedTest(name = "NOTIFY_SOCKET={0}")
    @ValueSource(strings = {"path", "abstract"})
    void theServiceManagerHearsReadyOnlyWhenThePortAcceptsThenReloadingAndStopping(String kind) throws Exception {
        String address = kind.equals("path") ? dir.resolve("notify.sock").toString()
                : "@forkchat-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (FakeNotifySocket manager = new FakeNotifySocket(address);
             DaemonProcess daemon = DaemonProcess.start(dir.resolve("state"), Map.of("NOTIFY_SOCKET", address), List.of(),
                     "pool_min_spare=1")) {
            String ready = manager.await("READY=1");
            assertTrue(ready.contains("STATUS="), ready);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000); // ready means accepting
            }
            daemon.signal(1);
            String reloading = manager.await("RELOADING=1");
            assertTrue(reloading.lines().anyMatch(l -> l.matches("MONOTONIC_USEC=\\d+")), reloading);
            manager.await("READY=1");
            daemon.signal(15);
            manager.await("STOPPING=1");
            assertEquals(0, daemon.awaitExit(Duration.ofSeconds(30)));
        }
    }

    @Test
    void reloadAppliesAChangedLimitToNewConnectionsWithoutDisconnectingAnyone() throws Exception {
        Path config = dir.resolve("forkchatd.conf");
        Files.writeString(config, "max_clients_per_address = 3\n");
        try (DaemonProcess daemon = startWithConfig(config);
             IrcClient one = IrcClient.register(daemon.port(), "one");
             IrcClient two = IrcClient.register(daemon.port(), "two")) {
            Files.writeString(config, "max_clients_per_address = 2\n");
            daemon.signal(1);
            assertNotNull(daemon.awaitLog(l -> l.contains("max_clients_per_address = 2 (was 3)"), IrcClient.WAIT));
            try (IrcClient three = new IrcClient(daemon.port(), "three")) {
                List<String> said = three.awaitClosed(IrcClient.WAIT);
                assertTrue(said.size() == 1 && said.get(0).contains("max_clients_per_address"), said.toString());
            }
            one.send("PRIVMSG two :still connected after the reload");
            two.expect(l -> l.endsWith("still connected after the reload"));

            Files.writeString(config, "max_clients_per_address = 5\n");
            daemon.signal(1);
            assertNotNull(daemon.awaitLog(l -> l.contains("max_clients_per_address = 5 (was 2)"), IrcClient.WAIT));
            try (IrcClient three = IrcClient.register(daemon.port(), "three")) {
                three.send("PING :admitted");
                three.expect(l -> l.endsWith("admitted"));
            }
        }
    }

    @Test
    void aBrokenConfigFileIsRefusedOnReloadAndTheDaemonKeepsServing() throws Exception {
        Path config = dir.resolve("forkchatd.conf");
        Files.writeString(config, "history_on_join = 5\n");
        try (DaemonProcess daemon = startWithConfig(config);
             IrcClient ada = IrcClient.register(daemon.port(), "ada")) {
            Files.writeString(config, "history_on_join = lots\nno_such_setting = 1\n");
            daemon.signal(1);
            assertNotNull(daemon.awaitLog(l -> l.contains("reload refused") && l.contains("forkchatd.conf:"),
                    IrcClient.WAIT));
            ada.send("PING :alive");
            ada.expect(l -> l.endsWith("alive"));
            try (IrcClient bea = IrcClient.register(daemon.port(), "bea")) {
                bea.send("PING :new-ones-too");
                bea.expect(l -> l.endsWith("new-ones-too"));
            }
            assertTrue(daemon.process().isAlive());
        }
    }

    @Test
    void thePidFileAppearsWhenReadyAndDisappearsAtStop() throws Exception {
        Path pidFile = dir.resolve("run/forkchatd.pid");
        try (DaemonProcess daemon = DaemonProcess.start(dir.resolve("state"), "pool_min_spare=1", "pid_file=" + pidFile)) {
            assertEquals(Long.toString(daemon.pid()), Files.readString(pidFile).strip());
            daemon.signal(15);
            assertEquals(0, daemon.awaitExit(Duration.ofSeconds(30)));
            assertFalse(Files.exists(pidFile));
        }
    }

    @Test
    void aStalePidFileDoesNotPreventStartButALiveOneDoes() throws Exception {
        Path pidFile = dir.resolve("forkchatd.pid");
        long dead = deadPid();
        Files.writeString(pidFile, dead + "\n");
        try (DaemonProcess daemon = DaemonProcess.start(dir.resolve("state"), "pool_min_spare=0", "pid_file=" + pidFile)) {
            assertNotNull(daemon.awaitLog(l -> l.contains("stale pid file"), IrcClient.WAIT));
            assertEquals(Long.toString(daemon.pid()), Files.readString(pidFile).strip());

            // a second daemon, on another state directory, with the same pid file
            List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
            cmd.addAll(List.of("-c", "state_dir=" + dir.resolve("other"), "-c", "listen=127.0.0.1:0",
                    "-c", "pid_file=" + pidFile));
            Process second = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            assertEquals(71, second.exitValue(), out);
            assertTrue(out.contains("names a running forkchatd (pid " + daemon.pid() + ")"), out);
            assertEquals(Long.toString(daemon.pid()), Files.readString(pidFile).strip(), "the live one's file is untouched");
        }
    }

    @Test
    void checkConfigAcceptsAGoodFileAndNamesTheBadKeyOfABrokenOne() throws Exception {
        Path good = dir.resolve("good.conf");
        Files.writeString(good, "max_clients = 10\nmodel = event\n");
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "max_clients = 10\nping_timeout = forever\n");
        assertEquals(0, run("check-config", good.toString()).exitValue());
        Process p = run("check-config", bad.toString());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(78, p.exitValue(), out);
        assertTrue(out.contains("ping_timeout"), out);
    }

    @Test
    void theLogFileIsWrittenAndReopenedOnSighupForRotation() throws Exception {
        Path logFile = dir.resolve("forkchatd.log");
        List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(List.of("-c", "state_dir=" + dir.resolve("state"), "-c", "listen=127.0.0.1:0",
                "-c", "pool_min_spare=0", "-c", "log_file=" + logFile));
        Process daemon = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            awaitFileContains(logFile, "forkchatd ready");
            Path rotated = dir.resolve("forkchatd.log.1");
            Files.move(logFile, rotated);
            assertTrue(new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start().waitFor() == 0);
            awaitFileContains(logFile, "configuration reloaded");
            assertTrue(Files.readString(rotated).contains("forkchatd ready"));
        } finally {
            daemon.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitFileContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " never contained '" + text + "'");
            }
            Thread.sleep(50); // polling a file someone else writes: no event to wait on
        }
    }

    private DaemonProcess startWithConfig(Path config) throws IOException {
        return DaemonProcess.startWithConfig(dir.resolve("state"), config, "pool_min_spare=2");
    }

    private static Process run(String... args) throws Exception {
        List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    /** A pid that no process has now: one of a process that has just ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        return p.pid();
    }
}
