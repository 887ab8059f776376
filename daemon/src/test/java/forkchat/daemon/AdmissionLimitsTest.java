package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admission limits end to end, for every model: each host must report registration and
 * the end of every connection, or the limits would count wrong.
 */
class AdmissionLimitsTest {

    @TempDir
    Path state;

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void silentConnectionsCannotTakeMoreThanMaxRegisteringSlots(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "max_registering=2", "pool_min_spare=3");
             IrcClient silent1 = new IrcClient(daemon.port(), "s1");
             IrcClient silent2 = new IrcClient(daemon.port(), "s2")) {
            // both are admitted and counted once the daemon answers them
            silent1.send("PING :one");
            silent1.expect(l -> l.endsWith("one"));
            silent2.send("PING :two");
            silent2.expect(l -> l.endsWith("two"));
            try (IrcClient third = new IrcClient(daemon.port(), "third")) {
                List<String> said = third.awaitClosed(IrcClient.WAIT);
                assertTrue(said.size() == 1 && said.get(0).contains("max_registering"), said.toString());
            }
            // once one registers, a slot is free again
            silent1.send("NICK s1");
            silent1.send("USER s1 0 * :s1");
            silent1.expect(l -> l.contains(" 001 s1 "));
            // the supervisor learns of it a moment later (a fork worker reports over the handoff
            // socket); it logs the registration once the slot is free
            assertTrue(daemon.awaitLog(l -> l.contains("registered as s1"), IrcClient.WAIT) != null);
            try (IrcClient fourth = IrcClient.register(daemon.port(), "fourth")) {
                fourth.send("PING :in");
                fourth.expect(l -> l.endsWith("in"));
            }
        }
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void theConnectionAfterMaxClientsPerAddressIsRefusedAndAFreedSlotIsReused(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "max_clients_per_address=2",
                "pool_min_spare=3")) {
            IrcClient one = IrcClient.register(daemon.port(), "one");
            try (IrcClient two = IrcClient.register(daemon.port(), "two")) {
                try (IrcClient three = new IrcClient(daemon.port(), "three")) {
                    List<String> said = three.awaitClosed(IrcClient.WAIT);
                    assertTrue(said.size() == 1 && said.get(0).contains("max_clients_per_address"), said.toString());
                }
                one.send("QUIT :making room");
                one.awaitClosed(IrcClient.WAIT);
                one.close();
                // the slot is returned when the connection has ended; retry until it has (bounded)
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (true) {
                    try (IrcClient again = new IrcClient(daemon.port(), "again")) {
                        again.send("PING :admitted");
                        if (again.poll(l -> l.endsWith("admitted") || l.startsWith("ERROR"), IrcClient.WAIT) != null
                                && again.received().stream().noneMatch(l -> l.startsWith("ERROR"))) {
                            break;
                        }
                    }
                    assertTrue(System.nanoTime() < deadline, "the freed slot was never given back");
                }
                two.send("PING :still");
                two.expect(l -> l.endsWith("still"));
            }
        }
    }
}
