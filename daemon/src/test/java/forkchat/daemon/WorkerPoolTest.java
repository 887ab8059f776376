package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-started pool as a user meets it: bursts of connections, and broken worker JVMs. */
class WorkerPoolTest {

    @TempDir
    Path state;

    @Test
    void aBurstLargerThanThePoolIsServedAsTheSpawnRateRampsUp() throws Exception {
        // worker_wait is generous: eight JVMs start at once on a small, possibly busy machine
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1", "pool_max_spare=2", "worker_wait=90s")) {
            List<IrcClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    IrcClient c = new IrcClient(daemon.port(), "burst" + i);
                    c.send("NICK burst" + i);
                    c.send("USER b 0 * :burst");
                    clients.add(c);
                }
                for (IrcClient c : clients) {
                    c.expect(l -> l.contains(" 001 " + c.nick + " "), Duration.ofSeconds(90));
                }
                assertTrue(daemon.workers().size() >= 8, "one worker JVM per client");
            } finally {
                for (IrcClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void workersThatDieAtStartAreRespawnedWithBackOffNotInALoop() throws Exception {
        // A JVM option that no JVM accepts: every worker dies at once.
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=2",
                "worker_jvm_options=-XX:+ThisOptionDoesNotExist")) {
            assertNotNull(daemon.awaitLog(l -> l.contains("died young") && l.contains("next spawn in"),
                    Duration.ofSeconds(30)));
            // Let the back-off run for a while, then count the attempts: doubling delays from
            // 250 ms allow a handful of spawns in 8 s, a respawn loop would make hundreds.
            daemon.awaitLog(l -> false, Duration.ofSeconds(8));
            long deaths = daemon.log().stream().filter(l -> l.contains("died young")).count();
            assertTrue(deaths >= 3 && deaths <= 12, deaths + " young deaths in ~10 s");
            // The daemon itself stays up and refuses clients cleanly while it has no worker.
            assertTrue(daemon.process().isAlive());
        }
    }

    @Test
    void aConnectionThatFindsNoWorkerInTimeGetsAnErrorLine() throws IOException {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=0", "worker_wait=300ms",
                "worker_jvm_options=-XX:+ThisOptionDoesNotExist");
             IrcClient late = new IrcClient(daemon.port(), "late")) {
            List<String> lines = late.awaitClosed(IrcClient.WAIT);
            assertTrue(lines.size() == 1 && lines.get(0).startsWith("ERROR :No worker available"), lines.toString());
        }
    }
}
