package forkchat.ipc;

import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The handoff socket: lines, descriptors, credentials, directory rules, and a real worker JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandoffTest {

    private static final Duration STEP = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    Path sock;
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        sock = tmp.resolve("run").resolve("handoff.sock");
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    <T> T within(Callable<T> call) throws Exception {
        Future<T> f = pool.submit(call);
        try {
            return f.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } finally {
            f.cancel(true);
        }
    }

    /** A connected pair through a real server: [0] = supervisor side, [1] = worker side. */
    HandoffChannel[] pair(HandoffServer server) throws Exception {
        Future<HandoffChannel> accepted = pool.submit(server::accept);
        HandoffChannel worker = HandoffChannel.connect(server.path());
        return new HandoffChannel[] {accepted.get(STEP.toMillis(), TimeUnit.MILLISECONDS), worker};
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    // ---- binding and the directory ------------------------------------------------------------

    @Test
    void bindMakesAPrivateDirectoryAndSocketAndCloseRemovesIt() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock)) {
            assertEquals(sock.toAbsolutePath(), server.path());
            assertEquals("rwx------", mode(sock.getParent()));
            assertEquals("rw-------", mode(sock));
            assertEquals(0140000, (Integer) Files.getAttribute(sock, "unix:mode") & 0170000, "a socket");
        }
        assertFalse(Files.exists(sock));
    }

    @Test
    void existingDirectoryOpenToOthersIsFixed() throws Exception {
        Files.createDirectories(sock.getParent());
        Files.setPosixFilePermissions(sock.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (HandoffServer server = HandoffServer.bind(sock)) {
            assertEquals("rwx------", mode(sock.getParent()));
        }
    }

    @Test
    void directoryOwnedBySomeoneElseIsRefused() throws Exception {
        assumeTrue(ProcessGroup.uid() == 0, "needs root to give a directory away");
        Path dir = Files.createDirectories(sock.getParent());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(dir, "unix:uid", 65534);
        IOException e = assertThrows(IOException.class, () -> HandoffServer.bind(sock));
        assertTrue(e.getMessage().contains("owned by uid 65534"), e.getMessage());
        assertFalse(Files.exists(sock));
    }

    @Test
    void symlinkedDirectoryIsRefused() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.createSymbolicLink(sock.getParent(), real);
        IOException e = assertThrows(IOException.class, () -> HandoffServer.bind(sock));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void staleSocketIsReplacedLiveOneAndOtherFilesAreNot() throws Exception {
        Files.createDirectories(sock.getParent());
        // a socket file nobody listens on any more (a crashed supervisor)
        UnixServerSocketChannel stale = UnixServerSocketChannel.open();
        stale.socket().bind(new UnixSocketAddress(sock.toFile()));
        stale.close();
        assertTrue(Files.exists(sock));
        try (HandoffServer first = HandoffServer.bind(sock)) {
            IOException e = assertThrows(IOException.class, () -> HandoffServer.bind(sock));
            assertTrue(e.getMessage().contains("another server is listening"), e.getMessage());
            // the probe that found it listening shows up as a connection that ends at once
            try (HandoffChannel probe = within(first::accept)) {
                assertNull(within(probe::receive));
            }
            // the live server still works
            HandoffChannel[] p = pair(first);
            p[1].send("still");
            assertEquals("still", within(p[0]::receive).line());
            p[0].close();
            p[1].close();
        }
        Files.writeString(sock, "precious");
        IOException e = assertThrows(IOException.class, () -> HandoffServer.bind(sock));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(sock));
    }

    @Test
    void overlongPathIsRefusedClearly() {
        Path deep = tmp.resolve("x".repeat(120)).resolve("handoff.sock");
        IOException e = assertThrows(IOException.class, () -> HandoffServer.bind(deep));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        assertThrows(IOException.class, () -> HandoffChannel.connect(deep));
    }

    @Test
    void connectWithoutServerFails() {
        IOException e = assertThrows(IOException.class, () -> HandoffChannel.connect(sock));
        assertTrue(e.getMessage().contains("connect("), e.getMessage());
    }

    // ---- lines ------------------------------------------------------------------------------

    @Test
    void linesBothWaysWithUtf8AndCredentials() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                PeerCredentials peer = sup.peer();
                assertEquals(ProcessGroup.pid(), peer.pid());
                assertEquals(ProcessGroup.uid(), peer.uid());
                assertEquals(Posix.get().getgid(), peer.gid());
                assertEquals(ProcessGroup.pid(), worker.peer().pid());

                worker.send("HELLO 42");
                worker.send("");
                worker.send("grüße ☃ 🐘");
                assertEquals(new ControlMessage("HELLO 42", -1), within(sup::receive));
                assertEquals("", within(sup::receive).line());
                assertEquals("grüße ☃ 🐘", within(sup::receive).line());
                sup.send("STOP");
                ControlMessage stop = within(worker::receive);
                assertEquals("STOP", stop.line());
                assertFalse(stop.hasFd());

                assertThrows(IllegalArgumentException.class, () -> worker.send("two\nlines"));
                assertThrows(IllegalArgumentException.class, () -> worker.send("x".repeat(HandoffChannel.MAX_LINE + 1)));
                assertThrows(IllegalArgumentException.class, () -> worker.sendWithFd("x", -1));
            }
        }
    }

    @Test
    void manySmallAndSomeHugeLinesArriveWholeAndInOrder() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    sent.add(i % 100 == 99 ? ("big" + i + ":" + "z".repeat(HandoffChannel.MAX_LINE)).substring(0, HandoffChannel.MAX_LINE)
                            : "line " + i);
                }
                Future<?> sender = pool.submit(() -> {
                    for (String s : sent) {
                        worker.send(s);
                    }
                    return null;
                });
                for (String s : sent) {
                    assertEquals(s, within(sup::receive).line());
                }
                sender.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void concurrentSendersNeverInterleave() throws Exception {
        int threads = 4;
        int each = 500;
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                List<Future<?>> senders = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    senders.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            worker.send("t" + id + " " + i + " " + "y".repeat(i % 200));
                        }
                        return null;
                    }));
                }
                Map<String, Integer> next = new HashMap<>();
                for (int n = 0; n < threads * each; n++) {
                    String[] parts = within(sup::receive).line().split(" ", 3);
                    int i = Integer.parseInt(parts[1]);
                    assertEquals(next.getOrDefault(parts[0], 0), i);
                    assertEquals("y".repeat(i % 200), parts.length > 2 ? parts[2] : "");
                    next.put(parts[0], i + 1);
                }
                for (Future<?> f : senders) {
                    f.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    // ---- descriptors -----------------------------------------------------------------------

    static String contentOf(int fd) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(256);
        long n = Posix.get().pread(fd, buf, 256L, 0L);
        if (n < 0) {
            throw Posix.error("pread", fd);
        }
        byte[] b = new byte[(int) n];
        buf.get(0, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void descriptorsTravelWithTheirLines() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.txt"), "contents of a");
        Path b = Files.writeString(tmp.resolve("b.txt"), "contents of b");
        int fdA = Posix.open(a.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        int fdB = Posix.open(b.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                sup.send("before");
                sup.sendWithFd("CLIENT a", fdA);
                sup.sendWithFd("CLIENT b", fdB);
                sup.send("after");
                // everything is queued before the first recvmsg: the kernel must not merge past an fd
                assertEquals(new ControlMessage("before", -1), within(worker::receive));
                ControlMessage ma = within(worker::receive);
                ControlMessage mb = within(worker::receive);
                assertEquals(new ControlMessage("after", -1), within(worker::receive));
                assertEquals("CLIENT a", ma.line());
                assertEquals("CLIENT b", mb.line());
                assertTrue(ma.hasFd() && mb.hasFd());
                assertNotEquals(fdA, ma.fd());
                assertNotEquals(ma.fd(), mb.fd());
                assertEquals("contents of a", contentOf(ma.fd()));
                assertEquals("contents of b", contentOf(mb.fd()));
                int flags = Posix.get().fcntl(ma.fd(), jnr.constants.platform.Fcntl.F_GETFD);
                assertEquals(1, flags & 1, "received descriptors are close-on-exec");
                SocketFds.close(ma.fd());
                SocketFds.close(mb.fd());
            }
        } finally {
            SocketFds.close(fdA);
            SocketFds.close(fdB);
        }
    }

    @Test
    void aDescriptorWithAHugeLineStaysWithThatLine() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.txt"), "big");
        int fd = Posix.open(a.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                String huge = "H".repeat(HandoffChannel.MAX_LINE);
                Future<?> s = pool.submit(() -> {
                    sup.send("x");
                    sup.sendWithFd(huge, fd);
                    sup.send("y");
                    return null;
                });
                assertEquals(new ControlMessage("x", -1), within(worker::receive));
                ControlMessage m = within(worker::receive);
                assertEquals(huge, m.line());
                assertTrue(m.hasFd());
                assertEquals("big", contentOf(m.fd()));
                assertEquals(new ControlMessage("y", -1), within(worker::receive));
                s.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
                SocketFds.close(m.fd());
            }
        } finally {
            SocketFds.close(fd);
        }
    }

    @Test
    void descriptorPassingSurvivesGarbageCollectionPressure() throws Exception {
        // jnr-posix keeps the native iovec/cmsg memory reachable only through our anchors (see
        // FdMessages): pass many descriptors while the collector runs continuously.
        Path a = Files.writeString(tmp.resolve("gc.txt"), "gc");
        int fd = Posix.open(a.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> {
            // young collections all the time (garbage), a full one now and then
            long sink = 0;
            for (int i = 0; !stop.get(); i++) {
                byte[] garbage = new byte[32 * 1024];
                sink += garbage.length;
                if (i % 2000 == 0) {
                    System.gc();
                }
            }
            if (sink == 42) {
                System.out.println(sink);
            }
        });
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                churn.start();
                int n = 400;
                Future<?> sender = pool.submit(() -> {
                    for (int i = 0; i < n; i++) {
                        sup.sendWithFd("FD " + i, fd);
                        sup.send("plain " + i);
                    }
                    return null;
                });
                for (int i = 0; i < n; i++) {
                    ControlMessage m = within(worker::receive);
                    assertEquals("FD " + i, m.line());
                    assertTrue(m.hasFd());
                    assertEquals("gc", contentOf(m.fd()));
                    SocketFds.close(m.fd());
                    assertEquals(new ControlMessage("plain " + i, -1), within(worker::receive));
                }
                sender.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            stop.set(true);
            churn.join(10_000);
            SocketFds.close(fd);
        }
    }

    @Test
    void sendingABadDescriptorFailsWithErrno() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel sup = p[0]; HandoffChannel worker = p[1]) {
                IOException e = assertThrows(IOException.class, () -> sup.sendWithFd("bad", 999_999));
                assertTrue(e.getMessage().contains("sendmsg") && e.getMessage().contains("EBADF"), e.getMessage());
                sup.send("fine");
                assertEquals("fine", within(worker::receive).line(), "nothing of the failed line was sent");
            }
        }
    }

    // ---- EOF and close -----------------------------------------------------------------------

    @Test
    void peerCloseIsEofAndUnterminatedTailIsDropped() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            HandoffChannel sup = p[0];
            HandoffChannel worker = p[1];
            worker.send("last words");
            worker.close();
            assertEquals("last words", within(sup::receive).line());
            assertNull(within(sup::receive));
            assertNull(within(sup::receive), "EOF stays EOF");
            assertThrows(IOException.class, () -> sup.send("anyone?"), "EPIPE, no SIGPIPE death");
            sup.close();
            assertThrows(ClosedChannelException.class, sup::receive);
            assertThrows(ClosedChannelException.class, () -> sup.send("x"));
            sup.close();
        }
    }

    @Test
    void closeWakesABlockedReceive() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock)) {
            HandoffChannel[] p = pair(server);
            try (HandoffChannel worker = p[1]) {
                Future<ControlMessage> blocked = pool.submit(p[0]::receive);
                assertThrows(java.util.concurrent.TimeoutException.class,
                        () -> blocked.get(200, TimeUnit.MILLISECONDS));
                p[0].close();
                try {
                    assertNull(blocked.get(10, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertInstanceOf(IOException.class, e.getCause());
                }
                // the worker sees the supervisor go away
                assertNull(within(worker::receive));
            }
        }
    }

    @Test
    void closeWakesABlockedAcceptAndAcceptAfterCloseFails() throws Exception {
        HandoffServer server = HandoffServer.bind(sock);
        Future<HandoffChannel> blocked = pool.submit(server::accept);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> blocked.get(200, TimeUnit.MILLISECONDS));
        server.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        assertThrows(ClosedChannelException.class, server::accept);
        assertFalse(Files.exists(sock));
        server.close();
    }

    // ---- a real worker JVM -------------------------------------------------------------------

    @Test
    void handsAClientSocketToAWorkerProcess() throws Exception {
        try (HandoffServer server = HandoffServer.bind(sock);
             ChildJvm child = ChildJvm.start(Children.HandoffClient.class, sock.toString());
             ServerSocketChannel listener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            HandoffChannel ch = within(server::accept);
            try {
                PeerCredentials peer = ch.peer();
                assertEquals(child.pid(), peer.pid(), "SO_PEERCRED names the worker process");
                assertEquals(ProcessGroup.uid(), peer.uid());
                assertEquals("HELLO " + child.pid(), within(ch::receive).line());

                // a real TCP client, accepted here and handed over
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept();
                int fd = SocketFds.fdOf(accepted);
                assertTrue(fd > 2);
                ch.sendWithFd("CLIENT 1", fd);
                accepted.close(); // the supervisor keeps no copy: the worker alone serves the client

                client.socket().setSoTimeout((int) STEP.toMillis());
                client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.UTF_8)));
                InputStream in = client.socket().getInputStream();
                assertEquals("pong ping\n", new String(in.readNBytes(10), StandardCharsets.UTF_8));
                assertEquals("DONE CLIENT 1", within(ch::receive).line());
                assertEquals(-1, in.read(), "the worker closed the adopted socket: the client sees EOF");
            } finally {
                ch.close(); // the worker sees EOF on the handoff socket
            }
            // printed after the adopted socket was closed: stdout is back (SocketFds.restoreOutput)
            assertEquals("EOF", child.expect("EOF", STEP));
            assertEquals(0, child.exitCode(STEP), child.stderr());
        }
    }

    @Test
    void fdOfNamesTheDescriptorOfAJdkChannel() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            int fd = SocketFds.fdOf(accepted);
            ByteBuffer hi = ByteBuffer.allocateDirect(2).put((byte) 'h').put((byte) 'i').flip();
            assertEquals(2, Posix.get().write(fd, hi, 2), "writing to the raw fd reaches the peer");
            client.socket().setSoTimeout((int) STEP.toMillis());
            assertEquals("hi", new String(client.socket().getInputStream().readNBytes(2), StandardCharsets.UTF_8));
        }
    }

    @Test
    void fdOfWithoutTheExportSaysWhatIsMissing() throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.command(Children.FdOfWithoutExport.class));
        int i = cmd.indexOf("--add-exports");
        cmd.remove(i);
        cmd.remove(i);
        try (ChildJvm child = ChildJvm.start(cmd)) {
            String line = child.expect("ISE", STEP);
            assertTrue(line.contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED"), line);
            assertEquals(0, child.exitCode(STEP));
        }
    }
}
