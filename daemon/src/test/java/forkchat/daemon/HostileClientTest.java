package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clients that misbehave, against every model: their neighbours must not notice. */
class HostileClientTest {

    @TempDir
    Path state;

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void aFlooderIsCutOffWhileItsNeighboursPingStaysPrompt(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2");
             IrcClient flooder = IrcClient.register(daemon.port(), "flooder");
             IrcClient neighbour = IrcClient.register(daemon.port(), "neighbour")) {
            flooder.join("#flood");
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                burst.append("PRIVMSG #flood :line ").append(i).append("\r\n");
            }
            flooder.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
            long worst = 0;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                neighbour.send("PING :n" + i);
                int n = i;
                neighbour.expect(l -> l.endsWith("n" + n));
                worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
            }
            assertTrue(worst < 1000, "the neighbour's PING took " + worst + " ms during the flood");
            List<String> said = flooder.awaitClosed(Duration.ofSeconds(30));
            assertTrue(said.get(said.size() - 1).contains("Excess Flood"), said.get(said.size() - 1));
        }
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void randomBinaryInputHarmsNobodyElse(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2", "flood_line_cost=0");
             IrcClient noise = new IrcClient(daemon.port(), "noise");
             IrcClient neighbour = IrcClient.register(daemon.port(), "calm")) {
            byte[] garbage = new byte[64 * 1024];
            new Random(42).nextBytes(garbage);
            noise.sendRaw(garbage);
            noise.sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII)); // end the last garbage line
            noise.send("PING :still-parsed");
            // the noisy connection is answered, or closed with an ERROR line (unregistered junk)
            assertNotNull(noise.poll(l -> l.endsWith("still-parsed") || l.startsWith("ERROR"), IrcClient.WAIT));
            neighbour.send("PING :unharmed");
            neighbour.expect(l -> l.endsWith("unharmed"));
            assertTrue(daemon.process().isAlive());
        }
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void aSilentConnectionIsClosedAfterTheRegistrationTimeout(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=1",
                "registration_timeout=2s");
             IrcClient silent = new IrcClient(daemon.port(), "silent")) {
            long start = System.nanoTime();
            List<String> said = silent.awaitClosed(Duration.ofSeconds(15));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(said.get(said.size() - 1).contains("Registration timed out"), said.toString());
            assertTrue(seconds >= 1 && seconds <= 6, "closed after " + seconds + " s");
        }
    }

    @Test
    void theHandoffSocketAdmitsNoPeerTheSupervisorDidNotSpawn() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1")) {
            Path socket = state.resolve("run/handoff.sock");
            try (UnixSocketChannel intruder = UnixSocketChannel.open(new UnixSocketAddress(socket.toFile()))) {
                // rejected on its credentials at accept, before it says anything
                assertNotNull(daemon.awaitLog(l -> l.contains("handoff peer rejected")
                        && l.contains("pid " + ProcessHandle.current().pid()), IrcClient.WAIT));
                ByteBuffer answer = ByteBuffer.allocate(64);
                assertTrue(intruder.read(answer) < 0, "the supervisor closed the intruder's connection");
            }
            try (IrcClient ok = IrcClient.register(daemon.port(), "afterwards")) {
                ok.send("PING :fine");
                ok.expect(l -> l.endsWith("fine"));
            }
        }
    }
}
