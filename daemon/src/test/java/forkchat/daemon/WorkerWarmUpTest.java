package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle fork worker rehearses a client's registration before it reports ready, and the
 * supervisor rehearses a client's accept and hand-off before it says ready (so that the first
 * real client does not wait for a cold JVM), and the rehearsals leave no trace: nothing in the
 * daemon's log, no scratch directory or socket, no client the supervisor counts or hears of.
 */
class WorkerWarmUpTest {

    @TempDir
    Path state;

    @Test
    void workersAndSupervisorRehearseAClientThatLeavesNoTrace() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "log_level=debug", "pool_min_spare=1",
                "pool_max_spare=1")) {
            // the ready line comes once the spare worker said HELLO, which is after its warm-up
            assertNotNull(daemon.awaitLog(l -> l.contains("warmed up in"), Duration.ofSeconds(60)),
                    "the idle worker's warm-up ran: " + daemon.log());
            assertFalse(daemon.log().stream().anyMatch(l -> l.contains("warm-up failed")), String.join("\n", daemon.log()));
            assertTrue(daemon.log().stream().anyMatch(l -> l.contains("accept path rehearsed in")),
                    "the supervisor's accept rehearsal ran: " + String.join("\n", daemon.log()));
            try (Stream<Path> run = Files.list(state.resolve("run"))) {
                List<Path> left = run.filter(p -> p.getFileName().toString().startsWith("warm-up")).toList();
                assertEquals(List.of(), left, "the warm-ups' scratch directory and socket are removed");
            }

            try (IrcClient nia = IrcClient.register(daemon.port(), "nia")) {
                nia.join("#warm");
                nia.send("PING :warm");
                nia.expect(l -> l.endsWith(":warm") || l.endsWith(" warm"));
            }
            assertFalse(daemon.log().stream().anyMatch(l -> l.contains("registered as rehearsal")),
                    "the supervisor never hears of the rehearsal's client");
            assertEquals(1, daemon.log().stream().filter(l -> l.contains("→ worker")).count(),
                    "one client handed over, nia: " + String.join("\n", daemon.log()));
        }
        LogFile.Run dump = LogFile.forkchatd("log", "dump", "-c", "state_dir=" + state);
        assertEquals(0, dump.exit(), dump.output());
        assertTrue(dump.output().contains("JOIN nia #warm"), dump.output());
        assertFalse(dump.output().contains("rehearsal"), "nothing of the rehearsal is in the daemon's log: "
                + dump.output());
    }
}
