package forkchat.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Main classes run as child JVMs by the tests. Each prints protocol lines on stdout (logging goes
 * to stderr, see logback-test.xml) and exits non-zero when something is wrong.
 */
final class Children {

    private Children() {
    }

    static void out(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    static byte[] appenderPayload(String id, int seq) {
        // sizes vary from a few bytes to ~1.5 KB so records straddle pread chunks
        int pad = (seq * 37) % 1500;
        return (id + ":" + seq + ":" + "x".repeat(pad)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * args: logDir count id [segmentBytes]. Prints READY, waits for GO on stdin, appends, prints
     * DONE.
     */
    static final class Appender {
        public static void main(String[] args) throws Exception {
            Path logDir = Path.of(args[0]);
            int count = Integer.parseInt(args[1]);
            String id = args[2];
            long segmentBytes = args.length > 3 ? Long.parseLong(args[3]) : MessageLog.DEFAULT_SEGMENT_BYTES;
            try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, segmentBytes)) {
                out("READY");
                String go = stdin().readLine();
                if (!"GO".equals(go)) {
                    out("NO GO: " + go);
                    System.exit(2);
                }
                for (int i = 0; i < count; i++) {
                    log.append(appenderPayload(id, i));
                }
                out("DONE " + count);
            }
        }
    }

    /**
     * args: log expected role, role = "lead" or the pgid to join. Opens the log, installs the
     * SIGUSR1 handler, then leads or joins the group, catches up and says so (READY pgid). Then it
     * reads the log to EOF after every ring, printing AT n each time its count reaches a multiple
     * of 50, until it has seen {@code expected} records "m0".."m{n-1}" in order.
     */
    /**
     * Takes SIGUSR1 with {@link SignalWaiter} when it was started with USR1 blocked: prints
     * "WAITER true|false", then "RUNG n threads=k" after each of three rings from outside (k: JDK
     * signal threads, which should be 0), then rings itself from another thread and prints
     * "SELF", then exits.
     */
    static final class Usr1Waiter {
        public static void main(String[] args) throws Exception {
            SignalWaiter waiter = SignalWaiter.forUsr1();
            out("WAITER " + (waiter != null));
            if (waiter == null) {
                return;
            }
            for (int n = 1; n <= 3; n++) {
                if (!awaitRing(waiter)) {
                    out("TIMEOUT");
                    System.exit(2);
                }
                out("RUNG " + n + " threads=" + Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().contains("SIGUSR1")).count());
            }
            Thread.ofPlatform().start(waiter::ring).join();
            out(awaitRing(waiter) ? "SELF" : "TIMEOUT");
        }

        /** A ring within 20 s; an early return that took no signal (EINTR) waits again. */
        private static boolean awaitRing(SignalWaiter waiter) throws InterruptedException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() - deadline < 0) {
                if (waiter.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class BellReader {
        public static void main(String[] args) throws Exception {
            Path logDir = Path.of(args[0]);
            int expected = Integer.parseInt(args[1]);
            String role = args[2];
            int[] seen = {0};
            boolean[] bad = {false};
            int rings = 0;
            int timeouts = 0;
            try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
                Bell bell = new Bell();
                Signals.onUsr1(bell);
                int pgid;
                if (role.equals("lead")) {
                    pgid = ProcessGroup.leadOwnGroup();
                    int again = ProcessGroup.leadOwnGroup();
                    if (again != pgid || pgid != ProcessGroup.pid() || ProcessGroup.current() != pgid) {
                        out("BAD lead " + pgid + " " + again + " " + ProcessGroup.current());
                        System.exit(3);
                    }
                } else {
                    ProcessGroup.join(Integer.parseInt(role));
                    pgid = ProcessGroup.current();
                }
                int reported = 0;
                log.readNew(e -> seen[0]++);
                out("READY " + pgid + " " + seen[0]);
                while (seen[0] < expected) {
                    // The safety timeout is longer than the test waits: only rings can finish this.
                    if (bell.await(30, TimeUnit.SECONDS)) {
                        rings++;
                    } else {
                        timeouts++;
                    }
                    log.readNew(e -> {
                        String s = new String(e.payload(), StandardCharsets.UTF_8);
                        if (!s.equals("m" + seen[0])) {
                            bad[0] = true;
                        }
                        seen[0]++;
                    });
                    if (seen[0] % 50 == 0 && seen[0] > reported) {
                        reported = seen[0];
                        out("AT " + seen[0]);
                    }
                }
            }
            out("SEEN " + seen[0] + " rings=" + rings + " timeouts=" + timeouts + (bad[0] ? " BAD" : ""));
        }
    }

    /** Prints READY and waits for a line on stdin, then exits 0. Installs nothing. */
    static final class Sleeper {
        public static void main(String[] args) throws Exception {
            out("READY " + ProcessGroup.pid());
            String line = stdin().readLine();
            out("BYE " + line);
        }
    }

    /**
     * args: socket. The worker side of a handoff: connect, say HELLO pid, receive a client socket,
     * adopt it, answer one line on it, close it, report DONE, then wait for the supervisor's EOF
     * and say so on stdout.
     */
    static final class HandoffClient {
        public static void main(String[] args) throws Exception {
            try (HandoffChannel ch = HandoffChannel.connect(Path.of(args[0]))) {
                ch.send("HELLO " + ProcessGroup.pid());
                ControlMessage m = ch.receive();
                if (m == null || !m.hasFd()) {
                    out("NOFD " + m);
                    System.exit(3);
                }
                SocketChannel client = SocketFds.adopt(m.fd());
                if (!client.isBlocking() || !client.isConnected()) {
                    out("BADCHANNEL");
                    System.exit(4);
                }
                InputStream in = Channels.newInputStream(client);
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    line.append((char) b);
                }
                OutputStream o = Channels.newOutputStream(client);
                o.write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                o.flush();
                // done with the client, as a worker whose client left: closing the adopted channel
                // points fds 0-2 at /dev/null, and the EOF line below reaches the parent only if
                // restoreOutput gave stdout back
                client.close();
                SocketFds.restoreOutput();
                ch.send("DONE " + m.line());
                ControlMessage end = ch.receive();
                out(end == null ? "EOF" : "UNEXPECTED " + end);
            }
        }
    }

    /**
     * args: logDir. Sets its own file size limit to 8 KiB (setrlimit, once jnr is loaded: jffi unpacks
     * its native library to a temporary file at start-up, which a limit set before exec would
     * break). Appends 7 records of 1028 bytes (7196), then one that cannot fit (short write), then
     * one of exactly the room left (fits: 8192), then one more (EFBIG). Reports each step.
     * SIGXFSZ is ignored by HotSpot, so the write fails instead of killing the JVM.
     */
    static final class FsizeAppender {
        public static void main(String[] args) throws Exception {
            Path logDir = Path.of(args[0]);
            try (MessageLog log = MessageLog.open(logDir, Durability.ALWAYS)) {
                int fsize = jnr.constants.platform.RLIMIT.RLIMIT_FSIZE.intValue();
                if (Posix.get().setrlimit(fsize, 8192L, 8192L) != 0) {
                    out("SETRLIMIT FAILED " + Posix.describe(Posix.errno()));
                    System.exit(5);
                }
                byte[] p1000 = new byte[1000];
                Arrays.fill(p1000, (byte) 'a');
                for (int i = 0; i < 7; i++) {
                    log.append(p1000);
                }
                out("SEVEN " + log.size());
                attempt(log, p1000, "SHORT");
                out("SIZE " + log.size());
                byte[] fits = new byte[8192 - 7196 - 28];
                Arrays.fill(fits, (byte) 'b');
                long off = log.append(fits);
                out("FIT " + off + " " + log.size());
                attempt(log, new byte[] {1, 2, 3}, "FULL");
                out("SIZE " + log.size());
                int[] n = {0};
                log.readNew(e -> n[0]++);
                out("READ " + n[0]);
            }
        }

        private static void attempt(MessageLog log, byte[] payload, String label) {
            try {
                long off = log.append(payload);
                out(label + " UNEXPECTED-SUCCESS " + off);
            } catch (IOException e) {
                out(label + " FAILED " + e.getMessage());
            }
        }
    }

    /**
     * args: logDir. Meant to run without CAP_DAC_OVERRIDE (an ordinary daemon user), on a log whose
     * newest segment is sealed with no successor (a roller died in between). Runs what the daemon
     * runs on such a log and reports each step: RECOVERED records validEnd truncated, APPENDED
     * offset, then (after sealing the new active segment as a roller would) RETAINED sealed
     * removed, APPENDED offset, SYNCED.
     */
    static final class AfterCrashedRoll {
        public static void main(String[] args) throws Exception {
            Path logDir = Path.of(args[0]);
            LogRecovery.Report r = LogRecovery.recover(logDir);
            out("RECOVERED " + r.records() + " " + r.validEnd() + " " + r.truncatedBytes());
            try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, 1000)) {
                long at = log.append("after the crash".getBytes(StandardCharsets.UTF_8));
                out("APPENDED " + at);
                Path active = LogSegments.active(logDir);
                int fd = Posix.open(active.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
                try {
                    Posix.fchmod(fd, LogSegments.SEALED_MODE, active);
                } finally {
                    Posix.close(fd);
                }
                LogRetention.Outcome o = LogRetention.apply(logDir,
                        new LogRetention.Policy(0, java.time.Duration.ofDays(10), 0), Long.MAX_VALUE,
                        System.currentTimeMillis() + java.time.Duration.ofDays(2).toMillis(), Durability.NEVER);
                out("RETAINED " + o.sealed() + " " + o.removed().size());
                out("APPENDED " + log.append("and again".getBytes(StandardCharsets.UTF_8)));
                log.sync();
                out("SYNCED");
            }
        }
    }

    /** Tries SocketFds.fdOf without the sun.nio.ch export and prints what happened. */
    static final class FdOfWithoutExport {
        public static void main(String[] args) throws Exception {
            try (SocketChannel ch = SocketChannel.open()) {
                int fd = SocketFds.fdOf(ch);
                out("FD " + fd);
            } catch (IllegalStateException e) {
                out("ISE " + e.getMessage());
            }
        }
    }

    /**
     * Joins process group {@code args[0]} ({@code lead}: leads a group of its own), listens in the ring roster {@code args[1]} for the key
     * {@code args[2]}, and counts SIGUSR1 rings: prints {@code RUNG n} at each, answers
     * {@code COUNT} with {@code RINGS n} and ends at EOF on stdin.
     */
    static final class RosterListener {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("lead")) {
                ProcessGroup.leadOwnGroup();
            } else {
                ProcessGroup.join(Integer.parseInt(args[0]));
            }
            Bell bell = new Bell();
            Signals.onUsr1(bell);
            java.util.concurrent.atomic.AtomicInteger rings = new java.util.concurrent.atomic.AtomicInteger();
            try (RingRoster roster = RingRoster.open(Path.of(args[1]))) {
                SignalDoorbell doorbell = new SignalDoorbell(ProcessGroup.current(), roster, ProcessGroup.pid());
                doorbell.listen(args[2]);
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (true) {
                            if (bell.await(60, TimeUnit.SECONDS)) {
                                out("RUNG " + rings.incrementAndGet());
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                out("READY");
                BufferedReader in = stdin();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("COUNT")) {
                        out("RINGS " + rings.get());
                    }
                }
                doorbell.releaseSlot();
            }
        }
    }
}
