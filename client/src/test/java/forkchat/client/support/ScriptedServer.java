package forkchat.client.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A fake IRC server on a loopback port that a test scripts line by line: accept a connection,
 * expect what the client sends, answer. Every wait is bounded.
 */
public final class ScriptedServer implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final ServerSocket listener;
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private final List<String> received = new ArrayList<>();

    public ScriptedServer() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Waits for the client's next connection (closing the previous one). */
    public void accept() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.setSoTimeout((int) WAIT.toMillis());
        socket = listener.accept();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        received.clear();
    }

    /** The next line from the client that matches (earlier ones are kept in {@link #received}). */
    public String expect(Predicate<String> wanted) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("the client did not send the expected line; it sent: " + received);
            }
            socket.setSoTimeout((int) left);
            String line;
            try {
                line = in.readLine();
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (line == null) {
                throw new AssertionError("the client closed the connection; it sent: " + received);
            }
            received.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** The next line, which must be {@code line}. */
    public void expectLine(String line) throws IOException {
        String got = expect(l -> true);
        if (!got.equals(line)) {
            throw new AssertionError("expected '" + line + "' but the client sent '" + got + "'");
        }
    }

    /** Waits until the client closes the connection. */
    public void expectClosed() throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        while (in.readLine() != null) {
            // drain
        }
    }

    public void send(String... lines) throws IOException {
        for (String l : lines) {
            out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    /** Closes the client's connection (the server "restarts"). */
    public void drop() throws IOException {
        socket.close();
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
