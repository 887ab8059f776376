package forkchat.client.net;

import forkchat.chat.Utf8;
import forkchat.client.irc.Session;
import forkchat.client.irc.Wire;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One connection to the server (plain TCP or TLS): reads lines with a blocking read, writes whole
 * lines. A line from the server may be long (IRCv3 allows 8191 bytes of tags); anything beyond
 * {@link #MAX_LINE} is dropped up to its end of line. A line that is not valid UTF-8 is decoded as
 * Latin-1 rather than refused. A failed write closes the socket, so that the reading thread sees
 * the end of the connection and the link reconnects.
 */
public final class Connection implements Wire, Closeable {

    /** Longest line kept from the server, tags included. */
    public static final int MAX_LINE = 16 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(512);
    private boolean overlong;

    public Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    /**
     * The next line without its CR LF, or null at the end of the stream. Blocks; throws
     * {@link java.net.SocketTimeoutException} when the socket's read timeout passes first (the
     * part of a line read so far is kept for the next call).
     */
    public String readLine() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                byte[] bytes = partial.toByteArray();
                partial.reset();
                overlong = false;
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r') {
                    len--;
                }
                return Utf8.decodeLenient(len == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, len));
            }
            if (partial.size() < MAX_LINE) {
                partial.write(b);
            } else {
                overlong = true;
            }
        }
    }

    /** Whether the line being read was cut (for diagnostics). */
    boolean overlong() {
        return overlong;
    }

    @Override
    public void send(String line) {
        String safe = Utf8.truncate(line.replace('\r', ' ').replace('\n', ' '), Session.LINE_MAX);
        byte[] bytes = (safe + "\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                close();
            }
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
