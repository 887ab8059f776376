package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that do not read: they must cost their worker bounded memory and bounded time. */
class SlowClientTest {

    @TempDir
    Path state;

    @Test
    void aClientThatStopsReadingIsCutOffAfterPingTimeoutAndOthersSeeItLeave() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=2", "ping_interval=1s",
                "ping_timeout=3s");
             IrcClient talker = IrcClient.register(daemon.port(), "talker");
             Socket sink = new Socket()) {
            // A client with a tiny receive window that registers, joins, and then never reads again.
            sink.setReceiveBufferSize(4096);
            sink.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 10_000);
            sink.getOutputStream().write("NICK sink\r\nUSER s 0 * :s\r\nJOIN #flood\r\n".getBytes(StandardCharsets.UTF_8));
            talker.join("#flood");
            talker.expect(l -> l.startsWith(":sink!") && l.contains("JOIN #flood"));

            // Enough output to fill every buffer between the sink's worker and the sink, so that
            // worker's sender blocks in write(2): a PING can then never reach the sink.
            String text = "y".repeat(400);
            for (int i = 0; i < 20_000 && !talker.received().stream().anyMatch(l -> l.contains("QUIT")); i++) {
                talker.send("PRIVMSG #flood :" + i + " " + text);
                if (i % 500 == 499) {
                    talker.send("PING :p" + i);
                    int n = i;
                    talker.expect(l -> l.endsWith("p" + n));
                }
            }
            String quit = talker.expect(l -> l.startsWith(":sink!") && l.contains("QUIT"), Duration.ofSeconds(30));
            assertNotNull(quit);
            assertNotNull(daemon.awaitLog(l -> l.contains("sink") && l.contains("left"), IrcClient.WAIT));
        }
    }
}
