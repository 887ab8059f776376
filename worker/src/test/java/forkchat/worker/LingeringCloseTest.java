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
import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lingering close, over real sockets, in the threaded ({@link ClientConnection}) and the event
 * ({@link EventLoop}) builds: a client that is still writing when the server ends its session
 * reads the ERROR line and then a clean end of stream, and lingering never holds a connection
 * open for longer than {@link ClientConnection#LINGER_MILLIS}.
 */
class LingeringCloseTest {

    private static final String ERROR = "ERROR :Server shutting down";

    @TempDir
    Path state;

    /** One model's server side of one connection. */
    private interface Served extends AutoCloseable {
        /** The server stops: the session's ERROR line, then the connection closes. */
        void shutdown();

        /** The doorbell: another session appended to the log. */
        void ring();

        /** Whether the server side was done with the connection within the timeout. */
        boolean awaitEnded(Duration timeout) throws InterruptedException;

        @Override
        void close();
    }

    /**
     * The flake this guards against: a worker ended its session (supervisor gone) while its
     * client kept sending; the client's last line was another client's QUIT, not its own ERROR.
     * Closing a socket with unread input makes the kernel reset the connection and drop what it
     * has not transmitted yet, and Nagle's algorithm holds a small write back until the line
     * before it is acknowledged (the client delays that ACK). Here flood control keeps the
     * client's last lines unread in the server's socket, and the client delays its ACK of the
     * line just before the ERROR. Without a lingering close the client reads that line and then a
     * reset, the ERROR line lost (the thread build); the event build was saved by the JDK's
     * half-close before a non-blocking close, and must stay so with its own lingering.
     */
    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"thread", "event"})
    void aClientStillWritingWhenItsSessionEndsReadsTheErrorLineAndThenAnOrderlyEnd(String model) throws Exception {
        // the burst is NICK and USER; the JOIN then holds the reader for some ten seconds
        Config config = config("flood_line_cost=10s", "flood_burst=2", "flood_excess=1h");
        try (ServerSocketChannel listener = listen();
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel socket = listener.accept();
             MessageLog other = MessageLog.open(config.logDir(), config.get(Settings.FSYNC));
             Served server = serve(model, config, socket)) {
            client.socket().setSoTimeout(10_000);
            client.socket().setTcpNoDelay(true); // as IRC clients do; nothing it sends waits for an ACK
            OutputStream out = client.socket().getOutputStream();
            BufferedReader in = reader(client);
            out.write("NICK ann\r\nUSER a 0 * :Ann\r\n".getBytes(StandardCharsets.UTF_8));
            awaitLine(in, " 001 ");
            out.write("JOIN #c\r\n".getBytes(StandardCharsets.UTF_8));
            awaitLine(in, " 366 ");
            // flood control holds the reader now: these stay unread in the server's socket
            out.write("PRIVMSG #c :unread 1\r\nPRIVMSG #c :unread 2\r\n".getBytes(StandardCharsets.UTF_8));
            if (client.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK)) {
                client.setOption(ExtendedSocketOptions.TCP_QUICKACK, false); // delayed ACKs from here
            }
            other.append(EventCodec.encode(new Event.Message("s2", "bob!b@h", false, "#c", "last before the end")));
            server.ring();
            awaitLine(in, "last before the end");

            server.shutdown();
            List<String> rest = new ArrayList<>();
            String end = readToEnd(in, rest);
            assertEquals("EOF", end, "the connection ended in order, after " + rest);
            assertFalse(rest.isEmpty(), "no line before the end");
            assertEquals(ERROR, rest.get(rest.size() - 1), rest.toString());

            client.shutdownOutput(); // the server's lingering ends at this EOF
            assertTrue(server.awaitEnded(Duration.ofSeconds(10)), "the server side ended");
        }
    }

    /**
     * A client that goes on writing, slowly enough never to hit the byte limit and never quiet
     * for long, and never closes: the server still closes within the linger time. Its writes then
     * fail, which is how the client (and the test) sees the close.
     */
    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"thread", "event"})
    void aClientThatNeverStopsWritingIsClosedWithinTheLingerTime(String model) throws Exception {
        Config config = config("flood_line_cost=0");
        try (ServerSocketChannel listener = listen();
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel socket = listener.accept();
             Served server = serve(model, config, socket)) {
            client.socket().setSoTimeout(10_000);
            OutputStream out = client.socket().getOutputStream();
            BufferedReader in = reader(client);
            out.write("NICK ann\r\nUSER a 0 * :Ann\r\n".getBytes(StandardCharsets.UTF_8));
            awaitLine(in, " 001 ");
            CountDownLatch writing = new CountDownLatch(1);
            Thread writer = Thread.ofPlatform().name("client-writer").start(() -> {
                try {
                    for (int i = 0; ; i++) {
                        out.write(("PONG :" + i + "\r\n").getBytes(StandardCharsets.UTF_8));
                        writing.countDown();
                        Thread.sleep(50); // pace, not synchronisation: never quiet for the linger's 500 ms
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: the end this test waits for
                }
            });
            try {
                assertTrue(writing.await(10, TimeUnit.SECONDS));
                long began = System.nanoTime();
                server.shutdown();
                List<String> rest = new ArrayList<>();
                readToEnd(in, rest);
                assertTrue(rest.contains(ERROR), rest.toString());
                writer.join(ClientConnection.LINGER_MILLIS + 8_000);
                assertFalse(writer.isAlive(), "the server closed the connection, though the client never stopped writing");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                assertTrue(millis < ClientConnection.LINGER_MILLIS + 5_000, "closed after " + millis + " ms");
                assertTrue(server.awaitEnded(Duration.ofSeconds(10)), "the server side ended");
            } finally {
                writer.interrupt();
                writer.join(10_000);
            }
        }
    }

    private Config config(String... settings) throws IOException {
        List<String> all = new ArrayList<>(List.of(Settings.STATE_DIR.key() + "=" + state,
                Settings.FSYNC.key() + "=never"));
        all.addAll(List.of(settings));
        return Config.load(null, all);
    }

    private static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    private Served serve(String model, Config config, SocketChannel socket) throws IOException {
        long start;
        try (MessageLog log = MessageLog.open(config.logDir(), config.get(Settings.FSYNC))) {
            start = log.append(EventCodec.encode(new Event.ServerStart(config.get(Settings.SERVER_NAME))));
        }
        SessionSetup setup = new SessionSetup(config, start, Instant.now().toString());
        return model.equals("event") ? servedByEventLoop(setup, socket) : servedByThreads(setup, socket);
    }

    private static Served servedByThreads(SessionSetup setup, SocketChannel socket) throws IOException {
        Bell bell = new Bell();
        SessionSetup.View view = setup.open(new LocalDoorbell());
        ClientConnection connection = new ClientConnection(socket, bell, Duration.ofSeconds(10),
                sink -> setup.session(view, sink, SessionObserver.NONE, "s1", "127.0.0.1", false));
        Thread sender = Thread.ofPlatform().name("sender").start(
                () -> connection.serve(Thread.ofPlatform().name("reader").factory()));
        return new Served() {
            @Override
            public void shutdown() {
                connection.shutdown("Server shutting down");
            }

            @Override
            public void ring() {
                bell.ring();
            }

            @Override
            public boolean awaitEnded(Duration timeout) throws InterruptedException {
                sender.join(timeout.toMillis());
                return !sender.isAlive();
            }

            @Override
            public void close() {
                connection.abort("test over");
                try {
                    sender.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                view.close();
            }
        };
    }

    private static Served servedByEventLoop(SessionSetup setup, SocketChannel socket) throws IOException {
        LocalDoorbell doorbell = new LocalDoorbell();
        EventLoop loop = new EventLoop(doorbell);
        loop.start();
        CountDownLatch ended = new CountDownLatch(1);
        loop.serve(socket, false, setup, "s1", "127.0.0.1", ended::countDown, SessionObserver.NONE);
        return new Served() {
            @Override
            public void shutdown() {
                loop.shutdown("Server shutting down");
            }

            @Override
            public void ring() {
                doorbell.ring();
            }

            @Override
            public boolean awaitEnded(Duration timeout) throws InterruptedException {
                return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                try {
                    loop.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static BufferedReader reader(SocketChannel client) throws IOException {
        return new BufferedReader(new InputStreamReader(client.socket().getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads lines into {@code lines} until the stream ends: "EOF", or the failure that ended it. */
    private static String readToEnd(BufferedReader in, List<String> lines) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
            return "EOF";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void awaitLine(BufferedReader in, String part) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.contains(part)) {
                return;
            }
        }
        throw new AssertionError("connection closed before a line with '" + part + "'");
    }
}
