package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Clients that do not read: they must cost their worker bounded memory and bounded time. */
class SlowClientTest {

    @TempDir
    Path state;

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void aClientThatStopsReadingIsCutOffAndOthersSeeItLeave(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2", "flood_line_cost=0", "ping_interval=1s",
                "ping_timeout=3s");
             IrcClient talker = IrcClient.register(daemon.port(), "talker");
             Socket sink = new Socket()) {
            // A client with a tiny receive window that registers, joins, and then never reads again
            // (it keeps writing, so only its reading is at fault).
            sink.setReceiveBufferSize(4096);
            sink.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 10_000);
            sink.getOutputStream().write("NICK sink\r\nUSER s 0 * :s\r\nJOIN #flood\r\n".getBytes(StandardCharsets.UTF_8));
            talker.join("#flood");
            // The sink is in the channel when NAMES lists it (it joined first) or when its JOIN
            // arrives (it joined after): the two connections race, and either order is right.
            if (talker.received().stream().noneMatch(l -> l.contains(" 353 talker ") && l.contains("sink"))) {
                talker.expect(l -> l.startsWith(":sink!") && l.contains("JOIN #flood"));
            }

            // Enough output to fill every buffer between the sink's worker and the sink, so that
            // worker's sender blocks in write(2): a PING can then never reach the sink.
            String text = "y".repeat(400);
            for (int i = 0; i < 20_000 && talker.received().stream().noneMatch(l -> l.startsWith(":sink!") && l.contains("QUIT")); i++) {
                talker.send("PRIVMSG #flood :" + i + " " + text);
                if (i % 500 == 499) {
                    // the sink keeps talking, so it is alive to the ping timer, but never reads
                    try {
                        sink.getOutputStream().write(("PING :s" + i + "\r\n").getBytes(StandardCharsets.UTF_8));
                    } catch (java.io.IOException cutOff) {
                        // the server has cut the sink off already: its QUIT is on its way to the talker
                    }
                    talker.send("PING :p" + i);
                    int n = i;
                    talker.expect(l -> l.endsWith("p" + n));
                }
            }
            // Cut off either way: its queued output passed the send queue's bound (SendQ
            // exceeded), or its sender sat in one write for ping_timeout (Write timeout).
            java.util.function.Predicate<String> sinkQuit = l -> l.startsWith(":sink!") && l.contains("QUIT")
                    && (l.contains("SendQ exceeded") || l.contains("Write timeout"));
            if (talker.received().stream().noneMatch(sinkQuit)) {
                talker.expect(sinkQuit, Duration.ofSeconds(30));
            }
            assertNotNull(daemon.awaitLog(l -> l.contains("Write timeout") || l.contains("SendQ exceeded"), IrcClient.WAIT));
        }
    }
}
