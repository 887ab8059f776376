package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual model must not pin carrier threads in its steady state: the daemon runs under JFR
 * with jdk.VirtualThreadPinned recorded at any duration. After a warm-up (clients register, join
 * and exchange a first message — the JDK initialises classes such as its I/O poller on first
 * use, and a virtual thread that waits for another thread's class initialisation is pinned for
 * that moment), clients chat, change nicks and leave; the recording must hold no pinned event
 * from then on.
 */
class VirtualModelPinningTest {

    @TempDir
    Path state;

    private Instant steady;

    /**
     * On JDK 25 the JDK's own I/O sub-pollers are virtual threads that wait in epoll by design
     * (sun.nio.ch.Poller): that is the JDK's scheduler infrastructure, not a client's thread.
     */
    private static boolean isJdkPoller(RecordedEvent e) {
        return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().startsWith("sun.nio.ch.Poller"));
    }

    @Test
    void servingClientsOnVirtualThreadsPinsNoCarrier() throws Exception {
        Path recording = state.resolve("pinning.jfr");
        List<String> jfr = List.of("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true,"
                + "jdk.VirtualThreadPinned#enabled=true,jdk.VirtualThreadPinned#threshold=0ms");
        try (DaemonProcess daemon = DaemonProcess.start(state.resolve("state"), jfr, "model=virtual", "flood_line_cost=0")) {
            List<IrcClient> clients = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                IrcClient c = IrcClient.register(daemon.port(), "pin" + i);
                c.join("#pins");
                clients.add(c);
            }
            for (IrcClient c : clients) {
                c.send("PRIVMSG #pins :warm-up from " + c.nick);
            }
            for (IrcClient c : clients) {
                String last = c.nick.equals("pin5") ? "pin4" : "pin5";
                c.expect(l -> l.endsWith("warm-up from " + last));
            }
            steady = Instant.now();
            for (int round = 0; round < 20; round++) {
                for (IrcClient c : clients) {
                    c.send("PRIVMSG #pins :round " + round + " from " + c.nick);
                }
            }
            for (IrcClient c : clients) {
                c.expect(l -> l.contains("round 19 from pin" + (c.nick.equals("pin5") ? "4" : "5")));
                c.send("NICK " + c.nick + "_");
                c.send("QUIT :done");
                c.awaitClosed(IrcClient.WAIT);
                c.close();
            }
            daemon.signal(15);
            assertEquals(0, daemon.awaitExit(Duration.ofSeconds(30)));
        }
        assertTrue(Files.size(recording) > 0, "the recording was written");
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .filter(e -> e.getStartTime().isAfter(steady))
                .filter(e -> !isJdkPoller(e)).toList();
        assertTrue(pinned.isEmpty(), pinned.size() + " pinned virtual threads:\n" + pinned.stream()
                .map(String::valueOf).collect(Collectors.joining("\n---\n")));
    }
}
