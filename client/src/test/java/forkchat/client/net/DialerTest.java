package forkchat.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS: a self-signed server is refused unless --insecure, and lines go through either way. */
class DialerTest {

    @TempDir
    static Path dir;
    private static Path keystore;
    private SSLServerSocket server;

    @BeforeAll
    static void selfSignedCertificate() throws Exception {
        keystore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "no keytool in this JDK");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-alias", "irc",
                "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "keytool failed");
    }

    @BeforeEach
    void selfSignedServer() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Accepts one connection and sends one line (the handshake may fail: then it returns null). */
    private CompletableFuture<String> serveOneLine() {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.getOutputStream().write(":srv NOTICE * :hello over TLS\r\n".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
    }

    @Test
    void insecureAcceptsASelfSignedCertificate() throws Exception {
        CompletableFuture<String> served = serveOneLine();
        Dialer dialer = new Dialer(new ServerAddress("localhost", server.getLocalPort()), true, true);
        try (Connection c = dialer.connect()) {
            assertEquals(":srv NOTICE * :hello over TLS", c.readLine());
            c.send("NICK carol");
            assertEquals("NICK carol", served.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSelfSignedCertificateIsRefusedByDefault() {
        serveOneLine();
        Dialer dialer = new Dialer(new ServerAddress("localhost", server.getLocalPort()), true, false);
        assertThrows(SSLHandshakeException.class, dialer::connect);
    }

    @Test
    void theDefaultTlsPortIs6697() {
        assertEquals(List.of(6667, 6697), List.of(ServerAddress.parse("h", false).port(), ServerAddress.parse("h", true).port()));
    }
}
