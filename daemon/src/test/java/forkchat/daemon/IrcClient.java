package forkchat.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A raw IRC connection for tests: send lines, wait (bounded) for a line that matches. Every line
 * received is kept, so a test can also assert on what did not arrive. Like a real client it
 * answers the server's PINGs while it waits.
 */
public final class IrcClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> received = new ArrayList<>();
    private boolean eof;
    public final String nick;

    public IrcClient(int port, String nick) throws IOException {
        this(connect("127.0.0.1", port), nick);
    }

    /** Over an already connected socket (a TLS one, say). */
    public IrcClient(Socket socket, String nick) throws IOException {
        this.nick = nick;
        this.socket = socket;
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 10_000);
        return s;
    }

    /**
     * Connects with TLS to {@code host:port}, trusting what {@code context} trusts, and finishes
     * the handshake; with {@code checkName} the certificate must name {@code host} (as a browser
     * checks it).
     */
    public static IrcClient connectTls(String host, int port, String nick, javax.net.ssl.SSLContext context,
                                       boolean checkName) throws IOException {
        Socket plain = connect(host, port);
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(plain, host, port, true);
        if (checkName) {
            javax.net.ssl.SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
        }
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        tls.setSoTimeout(0);
        return new IrcClient(tls, nick);
    }

    /** Connects with TLS to 127.0.0.1, checking the certificate's name, and registers as {@code nick}. */
    public static IrcClient registerTls(int port, String nick, javax.net.ssl.SSLContext context) throws IOException {
        IrcClient c = connectTls("127.0.0.1", port, nick, context, true);
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :" + nick + " the tester");
        c.expect(l -> l.contains(" 001 " + nick + " "));
        return c;
    }

    /** The TLS session of a connection made with {@link #connectTls}. */
    public javax.net.ssl.SSLSession tlsSession() {
        return ((javax.net.ssl.SSLSocket) socket).getSession();
    }

    /** Connects and registers as {@code nick}; waits for 001. */
    public static IrcClient register(int port, String nick) throws IOException {
        IrcClient c = new IrcClient(port, nick);
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :" + nick + " the tester");
        c.expect(l -> l.contains(" 001 " + nick + " "));
        return c;
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Logs in with SASL PLAIN during registration (CAP LS 302, CAP REQ :sasl, NICK, USER,
     * AUTHENTICATE) and waits for 001.
     */
    public void registerWithSasl(String password) throws IOException {
        send("CAP LS 302");
        expect(l -> l.contains("CAP * LS") && l.contains("sasl"));
        send("CAP REQ :sasl");
        expect(l -> l.contains("CAP * ACK") && l.contains("sasl"));
        send("NICK " + nick);
        send("USER " + nick + " 0 * :" + nick);
        send("AUTHENTICATE PLAIN");
        expect(l -> l.equals("AUTHENTICATE +"));
        send("AUTHENTICATE " + java.util.Base64.getEncoder().encodeToString(
                ("\0" + nick + "\0" + password).getBytes(StandardCharsets.UTF_8)));
        expect(l -> l.contains(" 903 "));
        send("CAP END");
        expect(l -> l.contains(" 001 " + nick + " "));
    }

    /** Joins and waits for the end of NAMES. */
    public void join(String channel) throws IOException {
        send("JOIN " + channel);
        expect(l -> l.contains(" 366 ") && l.contains(" " + channel + " :"));
    }

    public String expect(Predicate<String> wanted) throws IOException {
        return expect(wanted, WAIT);
    }

    /** The next line (from those not yet matched) that matches; fails after {@code timeout}. */
    public String expect(Predicate<String> wanted, Duration timeout) throws IOException {
        String line = poll(wanted, timeout);
        if (line == null) {
            throw new AssertionError(nick + ": no matching line within " + timeout + "; received:\n  "
                    + String.join("\n  ", received) + (eof ? "\n  <EOF>" : ""));
        }
        return line;
    }

    private int matched;

    /** Like expect, but returns null on timeout or EOF. Lines before the match are consumed. */
    public String poll(Predicate<String> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            while (matched < received.size()) {
                String l = received.get(matched++);
                if (wanted.test(l)) {
                    return l;
                }
            }
            if (eof) {
                return null;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                String l = in.readLine();
                if (l == null) {
                    eof = true;
                } else {
                    received.add(l);
                    if (l.startsWith("PING ")) {
                        send("PONG " + l.substring(5)); // as every real client does
                    }
                }
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                eof = true;
            }
        }
    }

    /** Waits for the server to close the connection; returns the lines that came before EOF. */
    public List<String> awaitClosed(Duration timeout) throws IOException {
        poll(l -> false, timeout);
        if (!eof) {
            throw new AssertionError(nick + ": connection still open after " + timeout);
        }
        return List.copyOf(received);
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
