package forkchat.daemon;

import forkchat.chat.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code scripts/soak}: a bounded mixed load against a real forkchatd, then a verdict.
 *
 * <p>It starts the daemon (the chosen model, its state in a fresh directory), and for the given
 * time runs {@code clients} users, each one thread: connect (a fresh nick per connection), join
 * some of the channels, then again and again send a numbered message to one of them and wait for
 * its echo (echo-message: the acknowledgement), now and then join or part a channel or quit and
 * reconnect. In the fork model a killer SIGKILLs the worker of a random client every
 * {@code kill-every}; that client reconnects. Then every live connection sends itself a last
 * private message, so that once its echo is back it has been given everything before it.
 *
 * <p>The verdict takes the log as the truth: folding it (Connect, Join, Part, Quit), each channel
 * message is due to every connection that was in the channel at that record, up to the last
 * record that connection is known to have been given (the highest msgid it received: delivery is
 * in log order). <b>lost</b>: a due delivery that did not arrive, or an acknowledged message not
 * in the log; <b>duplicates</b>: a message a connection received twice, or stored twice;
 * <b>stalled</b>: a live connection that got no echo within 30 s; <b>leaked</b>: processes of
 * the state directory alive after the daemon's graceful stop. All four must be 0.
 */
public final class Soak {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What a run is asked to do. */
    public record Options(String model, Duration duration, int clients, int channels, Duration killEvery,
                          Duration pause, Path stateDir) {
    }

    /** What a run found. */
    public record Verdict(long connections, long reconnects, long kills, long joins, long parts, long acknowledged,
                          long due, long delivered, long lost, long duplicates, long stalled, long leaked,
                          List<String> examples) {
        public boolean passed() {
            return lost == 0 && duplicates == 0 && stalled == 0 && leaked == 0 && acknowledged > 0;
        }
    }

    private final Options options;
    private long deadline;
    private final List<Conn> connections = new ArrayList<>();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong kills = new AtomicLong();
    private final AtomicLong joins = new AtomicLong();
    private final AtomicLong parts = new AtomicLong();
    private final AtomicLong stalled = new AtomicLong();
    private final List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
    private DaemonProcess daemon;

    /** One connection of one user: its client and the texts it sent. */
    private static final class Conn {
        final LoadClient client;
        final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile long horizon = -1;

        Conn(LoadClient client) {
            this.client = client;
        }
    }

    private Soak(Options options) {
        this.options = options;
    }

    /** Runs the soak described by {@code options}; the daemon is stopped and checked before it returns. */
    public static Verdict run(Options options) throws Exception {
        return new Soak(options).go();
    }

    private Verdict go() throws Exception {
        Files.createDirectories(options.stateDir());
        long leaked;
        try (DaemonProcess d = DaemonProcess.start(options.stateDir(), "model=" + options.model(), "flood_line_cost=0",
                "pool_min_spare=4", "pool_max_spare=16", "history_on_join=0", "max_clients=1000")) {
            daemon = d;
            deadline = System.nanoTime() + options.duration().toNanos(); // the load's time, not the start's
            List<Thread> users = new ArrayList<>();
            for (int i = 1; i <= options.clients(); i++) {
                int id = i;
                users.add(Thread.ofPlatform().name("user-" + i).start(() -> user(id)));
            }
            Thread killer = options.model().equals("fork") && !options.killEvery().isZero()
                    ? Thread.ofPlatform().daemon().name("killer").start(this::killer) : null;
            for (Thread t : users) {
                t.join(options.duration().toMillis() + 4 * WAIT.toMillis());
            }
            if (killer != null) {
                killer.interrupt();
                killer.join(WAIT.toMillis());
            }
            finish();
            d.signal(15);
            if (d.awaitExit(WAIT) != 0) {
                examples.add("the daemon did not stop with status 0 within " + WAIT);
            }
            leaked = DaemonProcess.awaitNoProcessOf(options.stateDir(), Duration.ofSeconds(15)).size();
        } finally {
            synchronized (connections) {
                connections.forEach(c -> c.client.close());
            }
        }
        return judge(leaked);
    }

    private boolean running() {
        return System.nanoTime() - deadline < 0;
    }

    private String channel(int k) {
        return "#soak" + k;
    }

    /** One user: connect, join, talk, part, rejoin, reconnect, until the deadline. */
    private void user(int id) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int generation = 0;
        int seq = 0;
        Conn conn = null;
        Set<String> joined = new HashSet<>();
        while (running()) {
            try {
                if (conn == null || conn.client.isClosed()) {
                    if (conn != null) {
                        reconnects.incrementAndGet();
                    }
                    conn = new Conn(LoadClient.register(daemon.port(), "u" + id + "g" + (++generation), WAIT));
                    synchronized (connections) {
                        connections.add(conn);
                    }
                    joined.clear();
                    for (int k = 1; k <= options.channels(); k++) {
                        if (joined.isEmpty() || random.nextInt(2) == 0) {
                            conn.client.join(channel(k), WAIT);
                            joins.incrementAndGet();
                            joined.add(channel(k));
                        }
                    }
                }
                LoadClient c = conn.client;
                double r = random.nextDouble();
                if (r < 0.85) {
                    List<String> mine = new ArrayList<>(joined);
                    String text = c.nick + " #" + (++seq);
                    conn.sent.add(text);
                    c.send("PRIVMSG " + mine.get(random.nextInt(mine.size())) + " :" + text);
                    if (!c.await(() -> c.count(text) > 0 || c.isClosed(), WAIT)) {
                        stall(c, "no echo of '" + text + "'");
                        c.close();
                    }
                } else if (r < 0.91 && joined.size() < options.channels()) {
                    String ch;
                    do {
                        ch = channel(1 + random.nextInt(options.channels()));
                    } while (joined.contains(ch));
                    c.join(ch, WAIT);
                    joins.incrementAndGet();
                    joined.add(ch);
                } else if (r < 0.96 && joined.size() > 1) {
                    String ch = new ArrayList<>(joined).get(random.nextInt(joined.size()));
                    c.part(ch, WAIT);
                    parts.incrementAndGet();
                    joined.remove(ch);
                } else if (r >= 0.985) {
                    c.send("QUIT :soak reconnects");
                    if (!c.await(c::isClosed, WAIT)) {
                        stall(c, "no close after QUIT");
                    }
                    c.close();
                }
                Thread.sleep(options.pause().toMillis() / 2 + random.nextLong(options.pause().toMillis() + 1));
            } catch (IOException e) {
                if (conn != null) {
                    conn.client.close(); // killed under it: reconnect
                }
            } catch (AssertionError e) {
                // a bounded wait failed: a stall if the connection is still open, else a kill
                if (conn != null && !conn.client.isClosed()) {
                    stall(conn.client, e.getMessage().lines().findFirst().orElse(""));
                    conn.client.close();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void stall(LoadClient c, String what) {
        stalled.incrementAndGet();
        example(c.nick + " stalled: " + what);
    }

    private void example(String what) {
        if (examples.size() < 20) {
            examples.add(what);
        }
    }

    /** Fork model: SIGKILL the worker of a random live client every kill-every. */
    private void killer() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            while (running()) {
                Thread.sleep(options.killEvery().toMillis()); // the load's kill period
                List<Conn> live;
                synchronized (connections) {
                    live = connections.stream().filter(c -> !c.client.isClosed()).toList();
                }
                if (live.isEmpty() || !running()) {
                    continue;
                }
                Conn victim = live.get(random.nextInt(live.size()));
                List<Long> worker = daemon.workersServing(victim.client.localPort());
                if (worker.size() == 1 && ProcessHandle.of(worker.get(0)).map(ProcessHandle::destroyForcibly).orElse(false)) {
                    kills.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            // the load is over
        } catch (IOException e) {
            example("killer: " + e.getMessage());
        }
    }

    /** Every live connection sends itself a last message; once it is echoed, it has seen all before it. */
    private void finish() throws IOException {
        List<Conn> all;
        synchronized (connections) {
            all = List.copyOf(connections);
        }
        for (Conn conn : all) {
            LoadClient c = conn.client;
            if (!c.isClosed()) {
                c.send("PRIVMSG " + c.nick + " :fin " + c.nick);
            }
        }
        for (Conn conn : all) {
            LoadClient c = conn.client;
            if (!c.isClosed() && !c.await(() -> c.count("fin " + c.nick) > 0 || c.isClosed(), WAIT)) {
                stall(c, "no echo of its last message");
            }
            conn.horizon = c.maxOffset() + 1;
        }
    }

    private Verdict judge(long leaked) throws IOException {
        List<Conn> all;
        synchronized (connections) {
            all = List.copyOf(connections);
        }
        Map<String, Conn> byNick = new HashMap<>();
        for (Conn c : all) {
            byNick.put(c.client.nick, c);
        }
        Map<String, Conn> bySession = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        Map<String, Integer> stored = new HashMap<>();
        long due = 0;
        long delivered = 0;
        long lost = 0;
        for (LogFile.Record r : LogFile.records(LogFile.of(options.stateDir()))) {
            switch (r.event()) {
                case Event.Connect e -> {
                    Conn c = byNick.get(e.nick());
                    if (c != null) {
                        bySession.put(e.session(), c);
                    }
                }
                case Event.Join e -> members.computeIfAbsent(e.channel(), k -> new HashSet<>()).add(e.session());
                case Event.Part e -> members.computeIfAbsent(e.channel(), k -> new HashSet<>()).remove(e.session());
                case Event.Quit e -> members.values().forEach(m -> m.remove(e.session()));
                case Event.Message m -> {
                    stored.merge(m.text(), 1, Integer::sum);
                    if (!m.target().startsWith("#")) {
                        continue;
                    }
                    for (String session : members.getOrDefault(m.target(), Set.of())) {
                        Conn c = bySession.get(session);
                        if (c == null || r.offset() >= c.horizon) {
                            continue;
                        }
                        due++;
                        if (c.client.count(m.text()) > 0) {
                            delivered++;
                        } else {
                            lost++;
                            example("lost: '" + m.text() + "' (offset " + r.offset() + ") never reached " + c.client.nick);
                        }
                    }
                }
                default -> {
                }
            }
        }
        long acknowledged = 0;
        long duplicates = 0;
        for (Conn c : all) {
            for (Map.Entry<String, Integer> e : c.client.received().entrySet()) {
                if (e.getValue() > 1) {
                    duplicates += e.getValue() - 1;
                    example("duplicate: " + c.client.nick + " received '" + e.getKey() + "' " + e.getValue() + " times");
                }
            }
            for (String text : List.copyOf(c.sent)) {
                if (c.client.count(text) > 0) {
                    acknowledged++;
                    int inLog = stored.getOrDefault(text, 0);
                    if (inLog == 0) {
                        lost++;
                        example("lost: '" + text + "' was acknowledged but is not in the log");
                    } else if (inLog > 1) {
                        duplicates += inLog - 1;
                        example("duplicate: '" + text + "' is in the log " + inLog + " times");
                    }
                }
            }
        }
        return new Verdict(all.size(), reconnects.get(), kills.get(), joins.get(), parts.get(), acknowledged, due,
                delivered, lost, duplicates, stalled.get(), leaked, List.copyOf(examples));
    }

    /** {@code --model M --duration 60s --clients N --channels K --kill-every 3s --pause 100ms --state-dir D} */
    public static void main(String[] args) throws Exception {
        String model = "fork";
        Duration duration = Duration.ofSeconds(60);
        int clients = 12;
        int channels = 3;
        Duration killEvery = Duration.ofSeconds(3);
        Duration pause = Duration.ofMillis(100);
        Path state = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: soak [--model fork|thread|virtual|event] [--duration 60s] [--clients 12]"
                        + " [--channels 3] [--kill-every 3s (fork; 0 = none)] [--pause 100ms] [--state-dir DIR]");
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                usage(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--model" -> model = v;
                case "--duration" -> duration = duration(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--channels" -> channels = Integer.parseInt(v);
                case "--kill-every" -> killEvery = duration(v);
                case "--pause" -> pause = duration(v);
                case "--state-dir" -> state = Path.of(v);
                default -> usage("unknown option " + a);
            }
        }
        if (!List.of("fork", "thread", "virtual", "event").contains(model)) {
            usage("--model is fork, thread, virtual or event");
        }
        Path dir = state != null ? state : Files.createTempDirectory("forkchat-soak-");
        Options options = new Options(model, duration, clients, channels, killEvery, pause, dir.toAbsolutePath());
        System.out.printf("soak: model=%s duration=%ss clients=%d channels=%d kill-every=%s state=%s%n", model,
                duration.toSeconds(), clients, channels, model.equals("fork") ? killEvery.toMillis() + "ms" : "n/a", dir);
        Verdict v = run(options);
        System.out.println(report(v));
        System.exit(v.passed() ? 0 : 1);
    }

    /** The verdict as lines for a terminal. */
    public static String report(Verdict v) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("  connections %d (reconnects %d, workers killed %d), joins %d, parts %d%n",
                v.connections(), v.reconnects(), v.kills(), v.joins(), v.parts()));
        out.append(String.format("  messages acknowledged %d; deliveries due %d, delivered %d%n", v.acknowledged(),
                v.due(), v.delivered()));
        out.append(String.format("  lost %d, duplicates %d, stalled %d, processes leaked %d%n", v.lost(),
                v.duplicates(), v.stalled(), v.leaked()));
        for (String e : v.examples()) {
            out.append("  ! ").append(e).append(System.lineSeparator());
        }
        out.append("verdict: ").append(v.passed() ? "PASS" : "FAIL");
        return out.toString();
    }

    private static Duration duration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t));
    }

    private static void usage(String why) {
        System.err.println("soak: " + why + " (see --help)");
        System.exit(64);
    }
}
