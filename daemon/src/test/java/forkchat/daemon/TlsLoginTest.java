package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import forkchat.worker.TestCertificates;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * login_requires_tls (on by default) in the accounts mode: a client that reaches the daemon
 * over the network in plain text is offered no SASL and cannot log in, whatever it sends; over
 * TLS it can; from loopback plain text is fine. The network address is this machine's own
 * non-loopback address (the test is skipped on a machine without one). Once per way a
 * connection is served: a fork worker, an in-process thread, the event loop.
 */
@ParameterizedClass(name = "model={0}")
@ValueSource(strings = {"fork", "thread", "event"})
class TlsLoginTest {

    @TempDir
    static Path dir;

    static TestCertificates certs;
    static DaemonProcess daemon;
    static String network;

    @Parameter
    String model;

    @BeforeParameterizedClassInvocation
    static void startDaemon(String model) throws IOException {
        network = nonLoopbackAddress();
        assumeTrue(network != null, "this machine has no non-loopback IPv4 address");
        if (certs == null) {
            certs = TestCertificates.issue(Files.createDirectories(dir.resolve("certs")), "login", "EC");
        }
        Path state = dir.resolve(model);
        assertEquals(0, DaemonProcess.userCommand(state, "a long enough secret", "add", "alice").exitValue());
        daemon = DaemonProcess.start(state, "model=" + model, "auth=accounts", "listen=0.0.0.0:0",
                "tls_listen=0.0.0.0:0", "tls_certificate=" + certs.chain, "tls_key=" + certs.key);
    }

    @AfterParameterizedClassInvocation
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void plainTextFromTheNetworkCannotLogIn() throws IOException {
        try (IrcClient c = new IrcClient(connect(network, daemon.port()), "alice")) {
            c.send("CAP LS 302");
            String ls = c.expect(l -> l.contains("CAP * LS"));
            assertTrue(!ls.contains("sasl"), "no SASL offered in plain text: " + ls);
            c.send("CAP END");
            c.send("PASS :a long enough secret");
            c.send("NICK alice");
            c.send("USER alice 0 * :Alice");
            List<String> said = c.awaitClosed(IrcClient.WAIT);
            assertTrue(said.stream().anyMatch(l -> l.contains(" 464 ") && l.contains("TLS")), said.toString());
            assertTrue(said.stream().noneMatch(l -> l.contains(" 001 ")), said.toString());
            assertTrue(said.getLast().startsWith("ERROR"), said.toString());
        }
    }

    @Test
    void tlsFromTheNetworkLogsInWithSasl() throws IOException {
        // the test certificate names localhost and 127.0.0.1, not this address: chain checked, name not
        try (IrcClient c = IrcClient.connectTls(network, daemon.tlsPort(), "alice", certs.clientContext(), false)) {
            c.registerWithSasl("a long enough secret");
        }
    }

    @Test
    void plainTextFromLoopbackLogsIn() throws IOException {
        try (IrcClient c = new IrcClient(daemon.port(), "alice")) {
            c.send("PASS :a long enough secret");
            c.send("NICK alice");
            c.send("USER alice 0 * :Alice");
            c.expect(l -> l.contains(" 001 alice "));
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new java.net.InetSocketAddress(host, port), 10_000);
        return s;
    }

    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }
}
