package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.worker.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS listener against every model: a real certificate chain issued by a test CA, a client
 * that checks it (chain and name, as irssi or weechat would), a TLS client chatting with a plain
 * one, hostile connections to the TLS port, and certificates reloaded on SIGHUP.
 */
@ParameterizedClass(name = "model={0}")
@ValueSource(strings = {"fork", "thread", "virtual", "event"})
class TlsTest {

    @TempDir
    static Path dir;

    static TestCertificates first;
    static TestCertificates second;
    static Path chain;
    static Path key;
    static DaemonProcess daemon;

    @Parameter
    String model;

    @BeforeParameterizedClassInvocation
    static void startDaemon(String model) throws IOException {
        Path certs = Files.createDirectories(dir.resolve(model + "-certs"));
        if (first == null) { // issued once for every model: keytool is slow
            first = TestCertificates.issue(Files.createDirectories(dir.resolve("ca")), "first", "EC");
            second = TestCertificates.issue(dir.resolve("ca"), "second", "RSA");
        }
        // where a certificate authority's client renews them: the configured paths stay
        chain = certs.resolve("fullchain.pem");
        key = certs.resolve("privkey.pem");
        install(first);
        daemon = DaemonProcess.start(dir.resolve(model), "model=" + model, "pool_min_spare=2",
                "tls_listen=127.0.0.1:0", "tls_certificate=" + chain, "tls_key=" + key, "registration_timeout=15s");
    }

    @AfterParameterizedClassInvocation
    static void stopDaemon() {
        daemon.close();
    }

    private static void install(TestCertificates c) throws IOException {
        Files.copy(c.chain, chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(c.key, key, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aTlsClientChatsWithAPlainOne() throws IOException {
        try (IrcClient secure = IrcClient.registerTls(daemon.tlsPort(), "sam", first.clientContext());
             IrcClient plain = IrcClient.register(daemon.port(), "pat")) {
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(secure.tlsSession().getProtocol()));
            secure.join("#secure");
            plain.join("#secure");
            secure.expect(l -> l.contains(" JOIN ") && l.startsWith(":pat!"));
            secure.send("PRIVMSG #secure :over TLS, é and all");
            plain.expect(l -> l.equals(":sam!sam@127.0.0.1 PRIVMSG #secure :over TLS, é and all"));
            plain.send("PRIVMSG #secure :in the clear");
            secure.expect(l -> l.equals(":pat!pat@127.0.0.1 PRIVMSG #secure :in the clear"));
            plain.send("PRIVMSG sam :a private word");
            secure.expect(l -> l.equals(":pat!pat@127.0.0.1 PRIVMSG sam :a private word"));
        }
    }

    @Test
    void plainTextOnTheTlsPortIsClosedAndHarmsNoOne() throws IOException {
        try (IrcClient bystander = IrcClient.registerTls(daemon.tlsPort(), "bea", first.clientContext());
             IrcClient confused = new IrcClient(daemon.tlsPort(), "cyd")) {
            confused.send("NICK cyd");
            confused.send("USER cyd 0 * :cyd");
            confused.awaitClosed(IrcClient.WAIT);
            bystander.send("PING :still-here");
            bystander.expect(l -> l.contains("PONG") && l.contains("still-here"), Duration.ofSeconds(5));
        }
        assertNotNull(daemon.awaitLog(l -> l.contains("TLS") && l.contains("failed"), IrcClient.WAIT),
                "the failed handshake is logged");
    }

    @Test
    void aConnectionThatNeverStartsItsHandshakeIsClosed() throws IOException {
        try (Socket silent = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", daemon.tlsPort()), 10_000);
            silent.setSoTimeout(45_000);
            // registration_timeout is 15 s (room for a loaded machine's handshakes in the other
            // tests): the server closes this one then; read() returns EOF (or a reset)
            long start = System.nanoTime();
            try {
                int b;
                do {
                    b = silent.getInputStream().read();
                } while (b >= 0);
            } catch (java.net.SocketException reset) {
                // closed under a pending read: also an end
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 45, "closed after " + seconds + " s");
        }
    }

    @Test
    void recordsThatArriveInPiecesAreReadWhole() throws Exception {
        // Every TLS record from the client is cut after 3 bytes (inside its header) and the rest
        // sent 1.2 s later: longer than the server's one-second read timeouts, so a reader that
        // lost a partial record on a timeout would garble the stream here.
        try (SlowTlsProxy proxy = new SlowTlsProxy(daemon.tlsPort(), 3, 1_200);
             IrcClient listener = IrcClient.register(daemon.port(), "lis")) {
            listener.join("#pieces");
            IrcClient slow = IrcClient.connectTls("127.0.0.1", proxy.port(), "sly", first.clientContext(), true);
            try (slow) {
                slow.send("NICK sly\r\nUSER sly 0 * :sly\r\nJOIN #pieces\r\nPRIVMSG #pieces :in pieces");
                slow.expect(l -> l.contains(" 001 sly "));
                listener.expect(l -> l.equals(":sly!sly@127.0.0.1 PRIVMSG #pieces :in pieces"));
            }
        }
    }

    /**
     * A TCP relay to the TLS port that delays the client's TLS records: each is sent as its first
     * {@code head} bytes, then, after {@code pauseMillis}, the rest. The server's bytes pass at once.
     */
    static final class SlowTlsProxy implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        SlowTlsProxy(int target, int head, long pauseMillis) throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket("127.0.0.1", target);
                    sockets.add(client);
                    sockets.add(upstream);
                    Thread.ofPlatform().daemon().start(() -> copy(upstream, client));
                    var in = new java.io.DataInputStream(client.getInputStream());
                    var out = upstream.getOutputStream();
                    while (true) {
                        byte[] header = new byte[5];
                        in.readFully(header);
                        byte[] record = new byte[5 + (((header[3] & 0xff) << 8) | (header[4] & 0xff))];
                        System.arraycopy(header, 0, record, 0, 5);
                        in.readFully(record, 5, record.length - 5);
                        out.write(record, 0, head);
                        out.flush();
                        Thread.sleep(pauseMillis); // the hostile client's pause, not a synchronisation
                        out.write(record, head, record.length - head);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // either side closed: the relay ends
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void sighupLoadsARenewedCertificateAndKeepsClientsConnected() throws Exception {
        try (IrcClient before = IrcClient.registerTls(daemon.tlsPort(), "old", first.clientContext())) {
            assertEquals(first.leaf, before.tlsSession().getPeerCertificates()[0]);

            install(second);
            daemon.signal(1);
            assertNotNull(daemon.awaitLog(l -> l.contains("SIGHUP: TLS") && l.contains(serial(second.leaf)),
                    IrcClient.WAIT), "the reload names the new certificate");
            try (IrcClient after = IrcClient.registerTls(daemon.tlsPort(), "new", second.clientContext())) {
                assertEquals(second.leaf, after.tlsSession().getPeerCertificates()[0]);
            }
            before.send("PING :kept");
            before.expect(l -> l.contains("PONG") && l.contains("kept"));

            // A broken renewal: refused, and the running certificate stays.
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
                    StandardCharsets.US_ASCII);
            daemon.signal(1);
            assertNotNull(daemon.awaitLog(l -> l.contains("reload refused") && l.contains(key.toString()),
                    IrcClient.WAIT), "the refused reload names the file");
            try (IrcClient still = IrcClient.registerTls(daemon.tlsPort(), "still", second.clientContext())) {
                assertEquals(second.leaf, still.tlsSession().getPeerCertificates()[0]);
            }
        } finally {
            install(first);
            daemon.signal(1);
            daemon.awaitLog(l -> l.contains("SIGHUP: TLS") && l.contains(serial(first.leaf)), IrcClient.WAIT);
        }
    }

    private static String serial(X509Certificate c) {
        return "serial " + c.getSerialNumber().toString(16);
    }
}
