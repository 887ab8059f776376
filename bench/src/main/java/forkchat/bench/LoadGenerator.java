package forkchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The load generator: N IRC clients on one NIO selector thread, in a JVM of its own (so its
 * CPU is never the server's). Each client connects, registers ({@code NICK}/{@code USER}),
 * joins its channel and, once the bench says {@code go}, sends {@code PRIVMSG} at the given
 * rate, staggered evenly across clients. The text carries the sender, a sequence number and
 * {@link System#nanoTime()} at sending, padded to the given size; every receiving client reads
 * them back, so fan-out latency is receipt time minus send time in one process's clock.
 *
 * <p><b>Conversation with the bench</b> (one line each on stdout; the bench writes on stdin):
 * {@code joined} once every client has its 366 (end of NAMES); the generator then waits for a
 * {@code go} line; {@code measuring} once the warm-up is over, {@code measured} once the measured
 * window ends (sending stops), {@code done} once the report file is written after the drain, or
 * {@code failed REASON} (report written too). EOF on stdin means the bench is gone: stop. With
 * paced connects, clients connect one at a time: after each join but the last the generator says
 * {@code joined-one K} and connects the next client only when the bench says {@code next} (the
 * bench waits until the fork model's pool has replaced the worker the client took).
 *
 * <p><b>Counting.</b> Every message sent after {@code go} is expected at every other member of
 * its channel; a delivery is counted once per (receiver, sender, sequence number), a repeat is a
 * duplicate. After sending stops the generator waits until everything expected has arrived, at
 * most the drain time; whatever has not arrived then is lost, and reported so.
 *
 * <p><b>Overhead.</b> One thread, heap buffers reused per client, messages written and parsed as
 * bytes: no String or object per message on the hot path (the HdrHistogram records in place).
 */
final class LoadGenerator {

    /** What one run of the generator does. */
    record Plan(String host, int port, int clients, double rate, int size, Workload workload,
                Duration warmup, Duration duration, Duration drain, Duration connectTimeout, int connectParallel,
                boolean paced) {
    }

    private static final int CONNECTING = 0;
    private static final int REGISTERING = 1;
    private static final int JOINING = 2;
    private static final int JOINED = 3;
    private static final int CLOSED = 4;

    private static final byte[] MARK = " :fcb ".getBytes(StandardCharsets.US_ASCII);
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Plan plan;
    private final PrintStream control;
    private final Selector selector;
    private final Client[] clients;
    private final long[][] lastSeq;
    private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram connect = new Histogram(HIGHEST_MICROS, 3);
    private final long intervalNanos;
    private final int perMessage;

    private long sent;
    private long expected;
    private long delivered;
    private long duplicates;
    private long skipped;
    private String error = "";
    private int nextToConnect;
    private int inFlight;
    private int joined;
    private volatile boolean go;
    /** Paced connects: how many more clients the bench has allowed to connect. */
    private final java.util.concurrent.atomic.AtomicInteger permits = new java.util.concurrent.atomic.AtomicInteger(1);
    private volatile boolean parentGone;
    private long measureStart = Long.MAX_VALUE;
    private long measureEnd = Long.MAX_VALUE;
    private long cpuAtStart;
    private long cpuAtEnd;

    LoadGenerator(Plan plan, PrintStream control) throws IOException {
        this.plan = plan;
        this.control = control;
        this.selector = Selector.open();
        this.clients = new Client[plan.clients()];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Client(i, plan.workload().channel(i));
        }
        this.lastSeq = new long[clients.length][clients.length];
        this.intervalNanos = Math.round(1e9 / plan.rate());
        this.perMessage = plan.workload().deliveriesPerMessage(clients.length);
    }

    /** Runs the whole conversation and writes the report; returns true when nothing failed. */
    boolean run(Path reportFile) throws IOException {
        Thread.ofPlatform().daemon().name("control").start(this::readControl);
        boolean ok = false;
        try {
            ok = drive();
        } catch (IOException | RuntimeException e) {
            fail(e.toString());
        } finally {
            closeAll();
            report().write(reportFile);
            logConnects();
            control.println(ok ? "done" : "failed " + error);
            control.flush();
        }
        return ok;
    }

    /**
     * A loopback rehearsal of the generator's own socket path (connect, select, write, read) on a
     * server socket of its own, before the first real client: otherwise the first client's
     * connect → 001 time includes this fresh JVM loading its NIO classes (tens of ms), which
     * would be charged to the server under test.
     */
    private static void rehearse() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             Selector sel = Selector.open();
             SocketChannel client = SocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.connect(listener.getLocalAddress());
            SelectionKey key = client.register(sel, SelectionKey.OP_CONNECT);
            try (SocketChannel peer = listener.accept()) {
                sel.select(key1 -> { }, 2_000);
                client.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                client.write(ByteBuffer.wrap("NICK rehearsal\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer got = ByteBuffer.allocate(64);
                peer.read(got);
                peer.write(ByteBuffer.wrap(":r 001 rehearsal :hi\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(64);
                sel.select(key1 -> {
                    try {
                        client.read(in);
                    } catch (IOException e) {
                        // a rehearsal only
                    }
                }, 2_000);
            }
        }
    }

    private boolean drive() throws IOException {
        rehearse();
        long connectDeadline = System.nanoTime() + plan.connectTimeout().toNanos();
        startConnections();
        while (joined < clients.length) {
            if (failed()) {
                return false;
            }
            if (System.nanoTime() - connectDeadline > 0) {
                fail("only " + joined + " of " + clients.length + " clients joined within " + plan.connectTimeout());
                return false;
            }
            selector.select(this::onReady, 100);
            if (plan.paced()) {
                startConnections(); // a 'next' may have come
            }
        }
        say("joined");
        while (!go) {
            if (failed()) {
                return false;
            }
            selector.select(this::onReady, 100);
        }
        long t0 = System.nanoTime();
        measureStart = t0 + plan.warmup().toNanos();
        measureEnd = measureStart + plan.duration().toNanos();
        for (Client c : clients) {
            c.nextSend = t0 + intervalNanos * c.index / clients.length;
        }
        boolean measuring = false;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now - measureStart >= 0) {
                measuring = true;
                cpuAtStart = ownCpuNanos();
                say("measuring");
            }
            if (now - measureEnd >= 0) {
                break;
            }
            long next = sendDue(now);
            if (parentGone) {
                fail("the bench went away");
                return false;
            }
            long waitNanos = Math.min(next, measuring ? measureEnd : measureStart) - System.nanoTime();
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
            selector.select(this::onReady, Math.min(waitMillis, 100));
        }
        cpuAtEnd = ownCpuNanos();
        say("measured");
        long drainDeadline = System.nanoTime() + plan.drain().toNanos();
        while (delivered < expected || pendingWrites()) {
            if (System.nanoTime() - drainDeadline > 0 || parentGone) {
                break;
            }
            selector.select(this::onReady, 50);
        }
        return !failed();
    }

    // ------------------------------------------------------------------ connections

    private void startConnections() throws IOException {
        while (nextToConnect < clients.length && inFlight < plan.connectParallel()) {
            if (plan.paced()) {
                if (inFlight > 0 || permits.get() <= 0) {
                    return;
                }
                permits.decrementAndGet();
            }
            Client c = clients[nextToConnect++];
            inFlight++;
            c.connectStart = System.nanoTime();
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.state = CONNECTING;
            if (c.channel.connect(new InetSocketAddress(plan.host(), plan.port()))) {
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                connected(c);
            } else {
                c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }
    }

    private void connected(Client c) throws IOException {
        c.state = REGISTERING;
        put(c, "NICK " + c.nick + "\r\nUSER " + c.nick + " 0 * :forkchat-bench\r\n");
        flush(c);
    }

    private void onReady(SelectionKey key) {
        Client c = (Client) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                c.channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                connected(c);
            }
            if (key.isValid() && key.isWritable()) {
                flush(c);
            }
            if (key.isValid() && key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            lostClient(c, e.getMessage());
        }
    }

    private void lostClient(Client c, String why) {
        if (c.state != CLOSED) {
            fail("client " + c.nick + ": " + why);
            close(c);
        }
    }

    // ------------------------------------------------------------------ receiving

    private void read(Client c) throws IOException {
        int n = c.channel.read(c.in);
        if (n < 0) {
            lostClient(c, "the server closed the connection");
            return;
        }
        long now = System.nanoTime();
        byte[] a = c.in.array();
        int end = c.in.position();
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (a[i] == '\n') {
                int lineEnd = i > start && a[i - 1] == '\r' ? i - 1 : i;
                onLine(c, a, start, lineEnd, now);
                start = i + 1;
            }
        }
        if (start > 0) {
            System.arraycopy(a, start, a, 0, end - start);
            c.in.position(end - start);
        } else if (end == a.length) {
            lostClient(c, "a line longer than " + a.length + " bytes");
        }
    }

    private void onLine(Client c, byte[] a, int from, int to, long now) throws IOException {
        if (startsWith(a, from, to, "PING")) {
            put(c, "PONG" + new String(a, from + 4, to - from - 4, StandardCharsets.UTF_8) + "\r\n");
            flush(c);
            return;
        }
        if (startsWith(a, from, to, "ERROR")) {
            lostClient(c, new String(a, from, to - from, StandardCharsets.UTF_8));
            return;
        }
        if (to <= from || a[from] != ':') {
            return;
        }
        int cmd = indexOf(a, from, to, (byte) ' ') + 1;
        if (cmd <= 0) {
            return;
        }
        if (startsWith(a, cmd, to, "PRIVMSG ")) {
            onPrivmsg(c, a, cmd, to, now);
        } else if (startsWith(a, cmd, to, "001 ") && c.state == REGISTERING) {
            c.connectMicros = Math.min(HIGHEST_MICROS, (now - c.connectStart) / 1000);
            connect.recordValue(c.connectMicros);
            c.state = JOINING;
            put(c, "JOIN " + c.channelName + "\r\n");
            flush(c);
        } else if (startsWith(a, cmd, to, "366 ") && c.state == JOINING) {
            c.state = JOINED;
            joined++;
            inFlight--;
            if (plan.paced() && joined < clients.length) {
                say("joined-one " + joined);
            }
            startConnections();
        } else if (c.state != JOINED && isRefusal(a, cmd, to)) {
            lostClient(c, new String(a, from, to - from, StandardCharsets.UTF_8));
        }
    }

    /** Numerics that mean the client cannot register or join: 43x (nick), 46x (password), 47x (channel). */
    private static boolean isRefusal(byte[] a, int cmd, int to) {
        if (to - cmd < 4 || a[cmd + 3] != ' ' || a[cmd] != '4') {
            return false;
        }
        byte tens = a[cmd + 1];
        return (tens == '3' || tens == '6' || tens == '7') && a[cmd + 2] >= '0' && a[cmd + 2] <= '9';
    }

    private void onPrivmsg(Client c, byte[] a, int cmd, int to, long now) {
        int mark = indexOf(a, cmd, to, MARK);
        if (mark < 0) {
            return;
        }
        int p = mark + MARK.length;
        long sender = 0;
        while (p < to && a[p] != ' ') {
            sender = sender * 10 + (a[p++] - '0');
        }
        p++;
        long seq = 0;
        while (p < to && a[p] != ' ') {
            seq = seq * 10 + (a[p++] - '0');
        }
        p++;
        long sentAt = 0;
        boolean negative = p < to && a[p] == '-';
        if (negative) {
            p++;
        }
        while (p < to && a[p] != ' ') {
            sentAt = sentAt * 10 + (a[p++] - '0');
        }
        if (negative) {
            sentAt = -sentAt;
        }
        if (sender < 0 || sender >= clients.length) {
            return;
        }
        long[] last = lastSeq[c.index];
        if (seq <= last[(int) sender]) {
            duplicates++;
            return;
        }
        last[(int) sender] = seq;
        delivered++;
        if (sentAt - measureStart >= 0 && sentAt - measureEnd < 0) {
            latency.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, (now - sentAt) / 1000)));
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends every message that is due; returns when the next one is due. */
    private long sendDue(long now) throws IOException {
        long next = Long.MAX_VALUE;
        for (Client c : clients) {
            if (c.state != JOINED) {
                continue;
            }
            boolean wrote = false;
            while (c.nextSend - now <= 0) {
                c.nextSend += intervalNanos;
                if (c.out.remaining() < c.prefix.length + plan.size() + 64) {
                    skipped++;
                    continue;
                }
                putMessage(c, System.nanoTime());
                sent++;
                expected += perMessage;
                wrote = true;
            }
            if (wrote) {
                flush(c);
            }
            next = Math.min(next, c.nextSend);
        }
        return next;
    }

    /** {@code PRIVMSG #chan :fcb SENDER SEQ NANOS xxx…} with the text padded to the message size. */
    private void putMessage(Client c, long nanos) {
        ByteBuffer out = c.out;
        out.put(c.prefix);
        int textStart = out.position();
        putDecimal(out, c.index);
        out.put((byte) ' ');
        putDecimal(out, ++c.seq);
        out.put((byte) ' ');
        putDecimal(out, nanos);
        out.put((byte) ' ');
        int text = out.position() - textStart + 4; // "fcb " is in the prefix
        for (int i = text; i < plan.size(); i++) {
            out.put((byte) 'x');
        }
        out.put((byte) '\r').put((byte) '\n');
    }

    private static void putDecimal(ByteBuffer out, long v) {
        if (v < 0) {
            out.put((byte) '-');
            v = -v;
        }
        if (v >= 10) {
            putDecimal(out, v / 10);
        }
        out.put((byte) ('0' + (v % 10)));
    }

    private static void put(Client c, String text) {
        c.out.put(text.getBytes(StandardCharsets.UTF_8));
    }

    private void flush(Client c) throws IOException {
        if (c.state == CLOSED) {
            return;
        }
        c.out.flip();
        c.channel.write(c.out);
        c.out.compact();
        if (c.key != null && c.key.isValid()) {
            int ops = c.key.interestOps();
            int wanted = c.out.position() > 0 ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
            if (wanted != ops) {
                c.key.interestOps(wanted);
            }
        }
    }

    private boolean pendingWrites() {
        for (Client c : clients) {
            if (c.state != CLOSED && c.out.position() > 0) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the end

    private void closeAll() {
        for (Client c : clients) {
            if (c.channel != null && c.state != CLOSED) {
                try {
                    c.out.clear();
                    put(c, "QUIT :forkchat-bench done\r\n");
                    c.out.flip();
                    c.channel.write(c.out);
                } catch (IOException e) {
                    // closing anyway
                }
                close(c);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static void close(Client c) {
        c.state = CLOSED;
        try {
            if (c.channel != null) {
                c.channel.close();
            }
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * Every client's connect → 001 in the order they connected, on stderr (the run's load.log):
     * with few clients the p99 is one of them, and this shows which (often the first, cold one).
     */
    private void logConnects() {
        StringBuilder sb = new StringBuilder("connect -> 001 per client, ms, in connect order:");
        for (Client c : clients) {
            sb.append(' ').append(c.connectMicros < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f",
                    c.connectMicros / 1000.0));
        }
        System.err.println(sb);
    }

    LoadReport report() {
        double loadCpu = cpuAtEnd > 0 && measureEnd != Long.MAX_VALUE
                ? 100.0 * (cpuAtEnd - cpuAtStart) / plan.duration().toNanos() : Double.NaN;
        return new LoadReport(sent, expected, delivered, duplicates, skipped, latency.getTotalCount(),
                millis(latency, 50), millis(latency, 99), max(latency),
                millis(connect, 50), millis(connect, 99), max(connect), loadCpu, error);
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double max(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    private void fail(String why) {
        if (error.isEmpty()) {
            error = why.replace('\n', ' ');
        }
    }

    private boolean failed() {
        return !error.isEmpty();
    }

    private void say(String line) {
        control.println(line);
        control.flush();
    }

    private void readControl() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.strip().equals("go")) {
                    go = true;
                    selector.wakeup();
                } else if (line.strip().equals("next")) {
                    permits.incrementAndGet();
                    selector.wakeup();
                }
            }
        } catch (IOException e) {
            // treated as EOF
        }
        parentGone = true;
        selector.wakeup();
    }

    /** This JVM's CPU time in nanoseconds (its threads live as long as it does, so schedstat is exact here). */
    private static long ownCpuNanos() {
        long total = 0;
        for (long[] t : ProcFs.threadRuntimes(ProcessHandle.current().pid())) {
            total += t[1];
        }
        return total;
    }

    // ------------------------------------------------------------------ bytes

    private static boolean startsWith(byte[] a, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (a[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] a, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One bench client: its socket, its buffers, where it is in its life, its sending schedule. */
    private static final class Client {
        final int index;
        final String nick;
        final String channelName;
        final byte[] prefix;
        final ByteBuffer in = ByteBuffer.allocate(32 * 1024);
        final ByteBuffer out = ByteBuffer.allocate(32 * 1024);
        SocketChannel channel;
        SelectionKey key;
        int state = CONNECTING;
        long connectStart;
        /** TCP connect → 001, once registered. */
        long connectMicros = -1;
        long nextSend;
        long seq;

        Client(int index, String channelName) {
            this.index = index;
            this.nick = "b" + index;
            this.channelName = channelName;
            this.prefix = ("PRIVMSG " + channelName + " :fcb ").getBytes(StandardCharsets.US_ASCII);
        }
    }
}
