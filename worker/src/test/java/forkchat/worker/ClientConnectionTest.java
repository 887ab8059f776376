package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Event;
import forkchat.chat.EventCodec;
import forkchat.chat.SessionObserver;
import forkchat.config.Config;
import forkchat.config.Settings;
import forkchat.ipc.Bell;
import forkchat.ipc.LocalDoorbell;
import forkchat.ipc.MessageLog;
import forkchat.ipc.WakeUp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection's two threads over a real socket and a real log. */
class ClientConnectionTest {

    @TempDir
    Path state;

    /** Counts the rings each thread made, and otherwise is the Bell it wraps. */
    private static final class CountingWakeUp implements WakeUp {
        final Bell bell = new Bell();
        final AtomicInteger bySender = new AtomicInteger();
        final AtomicInteger byOthers = new AtomicInteger();
        volatile Thread sender;

        @Override
        public void ring() {
            (Thread.currentThread() == sender ? bySender : byOthers).incrementAndGet();
            bell.ring();
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
            sender = Thread.currentThread();
            return bell.await(timeout, unit);
        }
    }

    @Test
    void deliveriesTheSenderQueuesItselfDoNotWakeItAgain() throws Exception {
        Config config = Config.load(null, List.of(Settings.STATE_DIR.key() + "=" + state,
                Settings.FSYNC.key() + "=never"));
        long start;
        try (MessageLog log = MessageLog.open(config.logDir(), config.get(Settings.FSYNC))) {
            start = log.append(EventCodec.encode(new Event.ServerStart(config.get(Settings.SERVER_NAME))));
        }
        SessionSetup setup = new SessionSetup(config, start, Instant.now().toString());
        CountingWakeUp wakeUp = new CountingWakeUp();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel served = listener.accept();
                 SessionSetup.View view = setup.open(new LocalDoorbell());
                 MessageLog other = MessageLog.open(config.logDir(), config.get(Settings.FSYNC))) {
                ClientConnection connection = new ClientConnection(served, wakeUp, Duration.ofSeconds(10),
                        sink -> setup.session(view, sink, SessionObserver.NONE, "s1", "127.0.0.1", false));
                Thread server = Thread.ofPlatform().name("sender").start(
                        () -> connection.serve(Thread.ofPlatform().name("reader").factory()));
                client.socket().setSoTimeout(10_000);
                OutputStream out = client.socket().getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.socket().getInputStream(),
                        StandardCharsets.UTF_8));
                out.write("NICK ann\r\nUSER a 0 * :Ann\r\nJOIN #c\r\n".getBytes(StandardCharsets.UTF_8));
                awaitLine(in, " 366 ");
                int repliesRung = wakeUp.byOthers.get();
                assertTrue(repliesRung > 0, "the reader's replies wake the sender");

                // another session's messages, rung in as the doorbell would: each comes out
                for (int i = 1; i <= 20; i++) {
                    other.append(EventCodec.encode(new Event.Message("s2", "bob!b@h", false, "#c", "hello " + i)));
                    wakeUp.ring();
                    awaitLine(in, "hello " + i);
                }
                assertEquals(0, wakeUp.bySender.get(),
                        "what the sender delivers it writes in the same turn: it never rings itself");

                out.write("QUIT :bye\r\n".getBytes(StandardCharsets.UTF_8));
                server.join(10_000);
                assertFalse(server.isAlive(), "the connection ended");
            }
        }
    }

    private static void awaitLine(BufferedReader in, String part) throws java.io.IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.contains(part)) {
                return;
            }
        }
        throw new AssertionError("connection closed before a line with '" + part + "'");
    }
}
