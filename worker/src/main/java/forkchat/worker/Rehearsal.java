package forkchat.worker;

import forkchat.chat.Event;
import forkchat.chat.EventCodec;
import forkchat.config.Config;
import forkchat.config.Settings;
import forkchat.ipc.Bell;
import forkchat.ipc.ControlMessage;
import forkchat.ipc.HandoffChannel;
import forkchat.ipc.HandoffServer;
import forkchat.ipc.LocalDoorbell;
import forkchat.ipc.MessageLog;
import forkchat.ipc.ProcessGroup;
import forkchat.ipc.SocketFds;
import forkchat.ipc.WakeUp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A worker's life in miniature, for the JVM that records the workers' class-data-sharing
 * archive ({@code -XX:ArchiveClassesAtExit}): a log of its own in {@code dir}, one client on a
 * loopback socket handed over through a scratch Unix socket as the supervisor hands one over,
 * served by the very code that serves a worker's client ({@link WorkerMain#connection},
 * {@link WorkerMain#serve}), reporting over that scratch socket, and through it registration, a
 * channel, a message, a ping, a few hundred rounds of chat, and a quit (and a TLS handshake in
 * memory when the daemon has a TLS listener). What it loads is what a worker loads, so workers
 * started with the archive find those classes already parsed and laid out, and share their pages.
 */
final class Rehearsal {

    /** Chat rounds of a rehearsal: enough for HotSpot's tier thresholds (200 calls, 2000 loop turns). */
    static final int HOT_ROUNDS = 300;

    private Rehearsal() {
    }

    /** Runs the rehearsal in {@code dir} (created, left behind for the caller to remove). */
    static void run(Config daemon, Path dir) throws IOException, InterruptedException {
        rehearse(daemon, dir, true, new Bell());
    }

    /**
     * The same life, rehearsed by an idle worker before it tells the supervisor it is ready, so
     * that its first real client does not wait while a cold JVM runs the session's code for the
     * first time (resolving, linking, bootstrapping lambdas and string concatenations, and
     * interpreting): measured, that was most of a fork client's wait for its {@code 001}. Nothing
     * of it reaches the daemon's log or the supervisor; {@code dir} is removed afterwards.
     *
     * @param wakeUp the sender's wake-up the real session will use, so its path is warm too
     */
    static void warmUp(Config daemon, Path dir, WakeUp wakeUp) throws IOException, InterruptedException {
        try {
            rehearse(daemon.with(List.of(Settings.FSYNC.key() + "=never")), dir, false, wakeUp);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void rehearse(Config daemon, Path dir, boolean tlsToo, WakeUp wakeUp)
            throws IOException, InterruptedException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Config config = daemon.with(List.of(Settings.STATE_DIR.key() + "=" + dir, Settings.AUTH.key() + "=open",
                Settings.FLOOD_LINE_COST.key() + "=0"));
        long start;
        try (MessageLog log = MessageLog.open(config.logDir(), config.get(Settings.FSYNC), config.get(Settings.LOG_SEGMENT_SIZE))) {
            start = log.append(EventCodec.encode(new Event.ServerStart(config.get(Settings.SERVER_NAME))));
        }
        if (tlsToo && config.tlsListen() != null && Files.isDirectory(config.tlsSnapshotDir())) {
            TlsCredentials.loadSnapshot(config.tlsSnapshotDir()).warmUp();
        }
        SessionSetup setup = new SessionSetup(config, start, Instant.now().toString());
        LocalDoorbell doorbell = new LocalDoorbell();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel served = listener.accept();
                 // opened, then brought up to date as a worker does when its client arrives
                 SessionSetup.View view = setup.current(setup.open(doorbell), doorbell);
                 HandoffServer handoffServer = HandoffServer.bind(dir.resolve("handoff.sock"));
                 HandoffChannel handoff = HandoffChannel.connect(handoffServer.path());
                 HandoffChannel supervisor = handoffServer.accept()) {
                if (!served.getRemoteAddress().equals(client.getLocalAddress())) {
                    // another local process connected first to the ephemeral port: talk to nobody
                    throw new IOException("the rehearsal's loopback socket was taken by " + served.getRemoteAddress());
                }
                handOff(handoff, supervisor);
                // the very code a worker runs for its client, call site for call site
                ClientConnection connection = WorkerMain.connection(setup, view, served, false, wakeUp, handoff,
                        "rehearsal", "127.0.0.1");
                Thread server = Thread.ofPlatform().name("rehearsal").start(() -> WorkerMain.serve(connection, handoff));
                talk(client, config, wakeUp);
                // closed at the server's EOF, as a real client does: a client that stays would
                // keep the server's lingering close waiting for it (ClientConnection.LINGER_QUIET_MILLIS)
                client.close();
                server.join(Duration.ofSeconds(10).toMillis());
            }
        }
    }

    /**
     * The chat itself, {@value #HOT_ROUNDS} times: another session's message appended and rung
     * in (read, folded, formatted, written to the socket) and a message of the client's own (read,
     * parsed, appended, echoed). That is often enough for the JIT to compile these paths while
     * the worker waits in the pool; measured, compiling them afterwards, in every worker of a
     * room where the chat had just begun, was a third of the fork model's CPU.
     */
    private static void chatHot(Config config, WakeUp wakeUp, OutputStream out, BufferedReader in)
            throws IOException {
        try (MessageLog peer = MessageLog.open(config.logDir(), config.get(Settings.FSYNC),
                config.get(Settings.LOG_SEGMENT_SIZE))) {
            for (int i = 0; i < HOT_ROUNDS; i++) {
                String text = "from a peer " + i;
                peer.append(EventCodec.encode(new Event.Message("rehearsal-peer", "peer!p@localhost", false,
                        "#rehearsal", text)));
                wakeUp.ring();
                out.write(("PRIVMSG #rehearsal :own line " + i + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line;
                while ((line = in.readLine()) != null && !line.endsWith(text)) {
                    // echoes and the like: read, and dropped
                }
                if (line == null) {
                    throw new IOException("the rehearsal's connection closed in round " + i);
                }
            }
        }
    }

    /**
     * The supervisor's side and the worker's side of a hand-off over a scratch socket: HELLO, and
     * a CLIENT order with a descriptor (SCM_RIGHTS), received, parsed and closed. A JVM adopts
     * one client socket only, and that is the real one, so the adoption is rehearsed in part
     * ({@link #adoptionAhead}).
     */
    private static void handOff(HandoffChannel worker, HandoffChannel supervisor) throws IOException {
        worker.send(HandoffProtocol.HELLO + " " + ProcessGroup.pid());
        supervisor.receive();
        // any descriptor will do (a worker JVM has no access to a JDK channel's own)
        supervisor.sendWithFd(new HandoffProtocol.ClientOrder("rehearsal", "127.0.0.1", "1", false).line(),
                supervisor.fd());
        ControlMessage order = worker.receive();
        if (order == null || !order.hasFd()) {
            throw new IOException("the rehearsal's hand-off came back without its descriptor");
        }
        SocketFds.close(order.fd());
        if (HandoffProtocol.ClientOrder.parse(order.line()) == null) { // read as a worker reads it
            throw new IOException("the rehearsal's hand-off came back as " + order.line());
        }
        adoptionAhead();
    }

    /**
     * What {@link SocketFds#adopt} will load and link, done ahead: the JDK's inherited-channel
     * classes, and a reflective {@code (int)} constructor call, which is how the JDK builds the
     * adopted socket's FileDescriptor (one such call spins the method-handle forms every such
     * call shares). Measured, the first adoption in a JVM otherwise took 2 to 3 ms of a client's
     * wait for its welcome.
     */
    private static void adoptionAhead() {
        for (String name : List.of("sun.nio.ch.InheritedChannel", "sun.nio.ch.InheritedChannel$InheritedSocketChannelImpl",
                "sun.nio.ch.Reflect", "java.net.UnixDomainSocketAddress")) {
            try {
                Class.forName(name, true, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // another JDK: nothing to load ahead
            }
        }
        try {
            StringBuilder.class.getConstructor(int.class).newInstance(16);
        } catch (ReflectiveOperationException e) {
            // not for want of anything a worker needs
        }
    }

    private static void talk(SocketChannel client, Config config, WakeUp wakeUp) throws IOException {
        client.socket().setSoTimeout(10_000);
        OutputStream out = client.socket().getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.socket().getInputStream(),
                StandardCharsets.UTF_8));
        out.write(("CAP LS 302\r\nCAP REQ :server-time echo-message\r\nNICK rehearsal\r\n"
                + "USER r 0 * :rehearsal\r\nCAP END\r\nJOIN #rehearsal\r\nPRIVMSG #rehearsal :line\r\n"
                + "WHO #rehearsal\r\nPING :done\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line;
        while ((line = in.readLine()) != null && !line.contains("PONG")) {
            // every reply of the rehearsal is read, and dropped
        }
        chatHot(config, wakeUp, out, in);
        out.write("QUIT :rehearsed\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (in.readLine() != null) {
            // until the server closes
        }
    }
}
