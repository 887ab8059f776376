package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    void whenTheSupervisorIsKilledEveryWorkerTellsItsClientAndExits() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=2");
             IrcClient uma = IrcClient.register(daemon.port(), "uma");
             IrcClient vic = IrcClient.register(daemon.port(), "vic")) {
            List<ProcessHandle> workers = daemon.workers();
            assertTrue(workers.size() >= 2, workers.toString());
            daemon.signal(9);
            for (IrcClient c : List.of(uma, vic)) {
                List<String> lines = c.awaitClosed(IrcClient.WAIT);
                assertTrue(lines.get(lines.size() - 1).startsWith("ERROR :"), lines.toString());
            }
            for (ProcessHandle w : workers) {
                w.onExit().get(10, TimeUnit.SECONDS); // busy and idle workers alike: no orphan JVM
            }
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
