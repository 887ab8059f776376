package forkchat.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * An IRC client for load and crash tests: it negotiates {@code echo-message} (its own messages
 * come back once the log holds them: the acknowledgement) and {@code message-tags} (every line
 * made from a log record carries {@code msgid} = the record's offset), and a reader thread of its
 * own takes every line as it arrives, so any thread may send while others wait. It counts the
 * channel messages it receives live, per text (texts are unique in these tests), apart from the
 * history replayed on JOIN (which, without server-time, comes with a {@code [time] } prefix).
 * Thread-safe; every wait is bounded.
 */
public final class LoadClient implements AutoCloseable {

    public final String nick;
    private final Socket socket;
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Integer> live = new HashMap<>();
    private final Map<String, Integer> history = new HashMap<>();
    private long maxOffset = -1;
    private boolean eof;

    private LoadClient(int port, String nick) throws IOException {
        this.nick = nick;
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("client-" + nick).start(() -> read(in));
    }

    /** Connects, negotiates echo-message and message-tags, registers; waits (bounded) for 001. */
    public static LoadClient register(int port, String nick, Duration timeout) throws IOException {
        LoadClient c = new LoadClient(port, nick);
        try {
            c.send("CAP REQ :echo-message message-tags");
            c.send("NICK " + nick);
            c.send("USER " + nick + " 0 * :load " + nick);
            c.send("CAP END");
            c.require(() -> c.saw(" 001 " + nick + " ") || c.isClosed(), timeout, "welcome");
            if (!c.saw(" 001 " + nick + " ")) {
                throw new IOException(nick + ": connection closed before the welcome: " + c.lines());
            }
        } catch (IOException | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    public void send(String line) throws IOException {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    /** JOIN, and wait for its echo (the Join is in the log and this client is a member). */
    public void join(String channel, Duration timeout) throws IOException {
        command("JOIN " + channel, " JOIN " + channel, timeout);
    }

    /** PART, and wait for its echo: every message of the channel before the Part has been delivered. */
    public void part(String channel, Duration timeout) throws IOException {
        command("PART " + channel, " PART " + channel, timeout);
    }

    /**
     * Sends {@code line} and waits for this client's own line containing {@code echo}, after it;
     * an IOException if the connection closes first, an AssertionError at the timeout.
     */
    private void command(String line, String echo, Duration timeout) throws IOException {
        int from = mark();
        send(line);
        String own = ":" + nick + "!";
        java.util.function.Predicate<String> done = l -> l.contains(echo) && l.contains(own);
        require(() -> sawSince(from, done) || isClosed(), timeout, line);
        if (!sawSince(from, done)) {
            throw new IOException(nick + ": connection closed before the answer to " + line);
        }
    }

    /** How many lines have arrived so far (for {@link #sawSince}). */
    public int mark() {
        lock.lock();
        try {
            return lines.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a line that arrived after {@code mark} matches. */
    public boolean sawSince(int mark, java.util.function.Predicate<String> wanted) {
        lock.lock();
        try {
            for (int i = mark; i < lines.size(); i++) {
                if (wanted.test(lines.get(i))) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void read(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("PING ")) {
                    send("PONG " + line.substring(5));
                }
                take(line);
            }
        } catch (IOException e) {
            // reset or closed: the end, like EOF
        }
        lock.lock();
        try {
            eof = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void take(String line) {
        lock.lock();
        try {
            lines.add(line);
            String rest = line;
            if (rest.startsWith("@")) {
                int sp = rest.indexOf(' ');
                for (String tag : rest.substring(1, sp).split(";")) {
                    if (tag.startsWith("msgid=")) {
                        maxOffset = Math.max(maxOffset, Long.parseLong(tag.substring(6)));
                    }
                }
                rest = rest.substring(sp + 1);
            }
            int cmd = rest.indexOf(" PRIVMSG ");
            if (rest.startsWith(":") && cmd > 0) {
                int text = rest.indexOf(" :", cmd + 9);
                if (text > 0 && !rest.startsWith("[", text + 2)) {
                    live.merge(rest.substring(text + 2), 1, Integer::sum);
                } else if (text > 0) {
                    int stamp = rest.indexOf("] ", text); // "[YYYY-MM-DD HH:MM:SS UTC] text"
                    history.merge(rest.substring(stamp + 2), 1, Integer::sum);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code condition} holds (it is evaluated under this client's lock) or the timeout. */
    public boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Like await, but fails naming {@code what} and showing the last lines received. */
    public void require(BooleanSupplier condition, Duration timeout, String what) {
        if (!await(condition, timeout)) {
            List<String> all = lines();
            throw new AssertionError(nick + ": no " + what + " within " + timeout + (isClosed() ? " (connection closed)" : "")
                    + "; last lines:\n  " + String.join("\n  ", all.subList(Math.max(0, all.size() - 15), all.size())));
        }
    }

    /** How many times {@code text} arrived live in a PRIVMSG (own echoes included). */
    public int count(String text) {
        lock.lock();
        try {
            return live.getOrDefault(text, 0);
        } finally {
            lock.unlock();
        }
    }

    /** How many times {@code text} was replayed as history (on JOIN). */
    public int historyCount(String text) {
        lock.lock();
        try {
            return history.getOrDefault(text, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Every text received live, with how many times. */
    public Map<String, Integer> received() {
        lock.lock();
        try {
            return Map.copyOf(live);
        } finally {
            lock.unlock();
        }
    }

    /** The highest log offset (msgid) of any line received: every record before it has been seen. */
    public long maxOffset() {
        lock.lock();
        try {
            return maxOffset;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return eof;
        } finally {
            lock.unlock();
        }
    }

    /** Whether any line received so far contains {@code fragment}. */
    public boolean saw(String fragment) {
        return sawLine(l -> l.contains(fragment));
    }

    public boolean sawLine(java.util.function.Predicate<String> wanted) {
        return sawSince(0, wanted);
    }

    public List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
