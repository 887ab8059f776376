package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starting, stopping, restarting and refusing: each test runs its own forkchatd, the parameterised
 * ones once per concurrency model.
 */
class LifecycleTest {

    @TempDir
    Path state;

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void historyIsReplayedAfterARestartOnTheSameStateDirectory(String model) throws Exception {
        try (DaemonProcess first = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2")) {
            try (IrcClient pat = IrcClient.register(first.port(), "pat")) {
                pat.join("#history");
                for (int i = 1; i <= 3; i++) {
                    pat.send("PRIVMSG #history :remember me " + i);
                }
                pat.send("QUIT :done");
                pat.awaitClosed(IrcClient.WAIT);
            }
            first.signal(15);
            assertEquals(0, first.awaitExit(Duration.ofSeconds(30)));
        }
        try (DaemonProcess second = DaemonProcess.start(state, "model=" + model, "pool_min_spare=1");
             IrcClient quinn = IrcClient.register(second.port(), "quinn")) {
            quinn.join("#history");
            // replayed after NAMES, oldest first, each stamped with its original time
            for (int i = 1; i <= 3; i++) {
                String text = "remember me " + i;
                quinn.expect(l -> l.startsWith(":pat!") && l.contains("PRIVMSG #history :[") && l.endsWith(text));
            }
        }
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void theConnectionAfterMaxClientsIsRefusedWithOneErrorLine(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "max_clients=2", "pool_min_spare=2");
             IrcClient one = IrcClient.register(daemon.port(), "one");
             IrcClient two = IrcClient.register(daemon.port(), "two");
             IrcClient three = new IrcClient(daemon.port(), "three")) {
            List<String> said = three.awaitClosed(IrcClient.WAIT);
            assertEquals(1, said.size(), "one line, then close: " + said);
            assertTrue(said.get(0).startsWith("ERROR :") && said.get(0).contains("max_clients"), said.get(0));
            one.send("PRIVMSG two :you are still served");
            two.expect(l -> l.endsWith("you are still served"));
            assertNotNull(daemon.awaitLog(l -> l.contains("refused") && l.contains("max_clients"), IrcClient.WAIT));
        }
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void sigtermTellsEveryClientAndLeavesNoProcessBehind(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2");
             IrcClient rose = IrcClient.register(daemon.port(), "rose");
             IrcClient sam = IrcClient.register(daemon.port(), "sam")) {
            List<ProcessHandle> everyone = daemon.process().toHandle().descendants().toList();
            assertTrue(!model.equals("fork") || everyone.size() >= 2, "two busy workers at least: " + everyone);

            daemon.signal(15);
            for (IrcClient c : List.of(rose, sam)) {
                List<String> lines = c.awaitClosed(IrcClient.WAIT);
                assertTrue(lines.get(lines.size() - 1).startsWith("ERROR :Server shutting down"), lines.toString());
            }
            assertEquals(0, daemon.awaitExit(Duration.ofSeconds(30)));
            for (ProcessHandle p : everyone) {
                p.onExit().get(10, TimeUnit.SECONDS);
                assertTrue(!p.isAlive(), "worker " + p.pid() + " is gone");
            }
        }
    }

    @Test
    void aBadSettingIsRefusedAtStartNamingTheKey() throws Exception {
        List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(List.of("-c", "state_dir=" + state, "-c", "max_clients=lots"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(78, p.exitValue(), out);
        assertTrue(out.contains("max_clients"), out);
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void sigintStopsFastAndLeavesNoProcessBehind(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2");
             IrcClient tess = IrcClient.register(daemon.port(), "tess")) {
            List<ProcessHandle> everyone = daemon.process().toHandle().descendants().toList();
            daemon.signal(2);
            List<String> lines = tess.awaitClosed(IrcClient.WAIT);
            assertTrue(lines.get(lines.size() - 1).startsWith("ERROR :"), lines.toString());
            assertEquals(0, daemon.awaitExit(Duration.ofSeconds(15)));
            for (ProcessHandle p : everyone) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void whenTheSupervisorIsKilledEveryWorkerTellsItsClientAndExitsAndARestartServesEveryAcknowledgedMessage()
            throws Exception {
        Duration wait = IrcClient.WAIT;
        List<String> acknowledged = new ArrayList<>();
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=2", "flood_line_cost=0");
             LoadClient uma = LoadClient.register(daemon.port(), "uma", wait);
             LoadClient vic = LoadClient.register(daemon.port(), "vic", wait)) {
            uma.join("#kept", wait);
            vic.join("#kept", wait);
            List<ProcessHandle> workers = daemon.workers();
            assertTrue(workers.size() >= 2, "two busy workers, and idle ones: " + workers);
            // both keep sending, one message in flight at a time each, until the supervisor is gone
            List<Thread> senders = new ArrayList<>();
            for (LoadClient c : List.of(uma, vic)) {
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 1; !c.isClosed(); i++) {
                            String text = c.nick + " " + i;
                            c.send("PRIVMSG #kept :" + text);
                            c.await(() -> c.count(text) > 0 || c.isClosed(), wait);
                        }
                    } catch (IOException e) {
                        // the connection ended under the sender
                    }
                }));
            }
            uma.require(() -> uma.count("uma 30") > 0 && uma.count("vic 30") > 0, wait, "30 messages each");

            daemon.signal(9);
            long killed = System.nanoTime();
            for (LoadClient c : List.of(uma, vic)) {
                c.require(c::isClosed, wait, "close");
                List<String> lines = c.lines();
                assertTrue(lines.get(lines.size() - 1).startsWith("ERROR :"), lines.get(lines.size() - 1));
            }
            // busy and idle workers alike, also one spawned just before the kill: no orphan JVM
            assertEquals(List.of(), DaemonProcess.awaitNoProcessOf(state, Duration.ofSeconds(5)), "no orphan JVM");
            double seconds = (System.nanoTime() - killed) / 1e9;
            // gone from /proc's command lines is not yet reaped: a zombie still counts as alive
            for (ProcessHandle w : workers) {
                w.onExit().get(10, TimeUnit.SECONDS);
            }
            for (Thread t : senders) {
                t.join(wait.toMillis());
            }
            for (LoadClient c : List.of(uma, vic)) {
                for (int i = 1; c.count(c.nick + " " + i) > 0; i++) {
                    acknowledged.add(c.nick + " " + i);
                }
            }
            System.out.printf("supervisor SIGKILLed: %d workers gone within %.2f s, %d messages acknowledged%n",
                    workers.size(), seconds, acknowledged.size());
        }
        try (DaemonProcess again = DaemonProcess.start(state, "pool_min_spare=1", "history_on_join=10000");
             LoadClient wes = LoadClient.register(again.port(), "wes", IrcClient.WAIT)) {
            wes.join("#kept", IrcClient.WAIT);
            wes.require(() -> acknowledged.stream().allMatch(t -> wes.historyCount(t) == 1), IrcClient.WAIT,
                    "every acknowledged message, once, in the history after the restart");
        }
    }

    @Test
    void aSecondDaemonOnTheSameStateDirectoryIsRefusedAndTheFirstIsUnharmed() throws Exception {
        try (DaemonProcess first = DaemonProcess.start(state, "pool_min_spare=1");
             IrcClient walt = IrcClient.register(first.port(), "walt")) {
            walt.join("#solo");
            List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
            cmd.addAll(List.of("-c", "state_dir=" + state, "-c", "listen=127.0.0.1:0"));
            Process second = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            assertEquals(71, second.exitValue(), out);
            assertTrue(out.contains("another forkchatd (pid " + first.pid() + ")"), out);
            walt.send("PRIVMSG #solo :still here");
            walt.send("PING :after-second");
            walt.expect(l -> l.endsWith("after-second"));
            assertTrue(walt.received().stream().noneMatch(l -> l.startsWith("ERROR")), walt.received().toString());
        }
    }
}
