package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork model's promise under load: one process's death harms no one else and loses nothing
 * that was acknowledged (the echo-message echo). Real daemon, real worker JVMs, real SIGKILL.
 */
class CrashRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHANNEL = "#load";
    /** Messages each sender sends, and how many it may have unacknowledged at once. */
    private static final int PER_SENDER = 120;
    private static final int WINDOW = 8;
    /** A victim is killed once this many of its own messages were acknowledged. */
    private static final int VICTIM_SENT_BEFORE_KILL = 20;
    /**
     * What a victim would send if it lived: far more than a survivor, so that it is still sending when
     * its worker is killed, however the senders' threads happen to be scheduled.
     */
    private static final int VICTIM_WOULD_SEND = 10 * PER_SENDER;

    @TempDir
    Path state;

    @Test
    void everyAcknowledgedMessageReachesEverySurvivorOnceWhileTwoWorkersAreKilled() throws Exception {
        List<LoadClient> senders = new ArrayList<>();
        List<LoadClient> victims = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=4", "pool_max_spare=10",
                "flood_line_cost=0")) {
            for (int i = 1; i <= 6; i++) {
                senders.add(LoadClient.register(daemon.port(), "s" + i, WAIT));
            }
            for (int i = 1; i <= 2; i++) {
                victims.add(LoadClient.register(daemon.port(), "v" + i, WAIT));
            }
            for (LoadClient c : concat(senders, victims)) {
                c.join(CHANNEL, WAIT);
            }
            Map<LoadClient, Long> victimWorkers = new HashMap<>();
            for (LoadClient v : victims) {
                List<Long> owner = daemon.workersServing(v.localPort());
                assertEquals(1, owner.size(), v.nick + " is served by one worker: " + owner);
                victimWorkers.put(v, owner.get(0));
            }

            List<Future<Integer>> sending = new ArrayList<>();
            for (LoadClient c : senders) {
                sending.add(pool.submit(() -> send(c, PER_SENDER)));
            }
            for (LoadClient v : victims) {
                pool.submit(() -> send(v, VICTIM_WOULD_SEND));
            }
            // kill v1's worker a third of the way through, v2's at two thirds: events, not sleeps
            LoadClient first = senders.get(0);
            for (int k = 0; k < victims.size(); k++) {
                int progress = PER_SENDER * (k + 1) / 3;
                first.require(() -> first.count(text(first, progress)) > 0, WAIT, "echo of message " + progress);
                LoadClient v = victims.get(k);
                v.require(() -> v.count(text(v, VICTIM_SENT_BEFORE_KILL)) > 0, WAIT, "its own messages echoed");
                assertTrue(ProcessHandle.of(victimWorkers.get(v)).orElseThrow().destroyForcibly(), "SIGKILL sent");
            }
            for (int i = 0; i < senders.size(); i++) {
                assertEquals(PER_SENDER, sending.get(i).get(120, TimeUnit.SECONDS),
                        senders.get(i).nick + " had every message acknowledged: survivors never stall");
            }

            // acknowledged: every text its sender saw echoed (a victim's, up to its death)
            List<String> acknowledged = new ArrayList<>();
            for (LoadClient c : concat(senders, victims)) {
                int limit = victims.contains(c) ? VICTIM_WOULD_SEND : PER_SENDER;
                for (int i = 1; i <= limit; i++) {
                    if (c.count(text(c, i)) > 0) {
                        acknowledged.add(text(c, i));
                    }
                }
            }
            for (LoadClient v : victims) {
                v.require(v::isClosed, WAIT, "close after its worker was killed");
            }
            for (LoadClient s : senders) {
                s.require(() -> acknowledged.stream().allMatch(t -> s.count(t) > 0), WAIT, "every acknowledged message");
                for (LoadClient v : victims) {
                    s.require(() -> s.sawLine(l -> l.contains(":" + v.nick + "!") && l.contains(" QUIT ")), WAIT,
                            "QUIT of " + v.nick);
                }
            }
            // a last round through the log: anything duplicated before it would have arrived by now
            for (LoadClient s : senders) {
                s.send("PRIVMSG " + CHANNEL + " :barrier " + s.nick);
            }
            for (LoadClient s : senders) {
                s.require(() -> senders.stream().allMatch(o -> s.count("barrier " + o.nick) > 0), WAIT, "the barrier");
                for (String t : acknowledged) {
                    assertEquals(1, s.count(t), s.nick + " received '" + t + "' exactly once");
                }
            }
            Map<String, Integer> inLog = new HashMap<>();
            for (String t : LogFile.messageTexts(LogFile.of(state))) {
                inLog.merge(t, 1, Integer::sum);
            }
            for (String t : acknowledged) {
                assertEquals(1, inLog.getOrDefault(t, 0), "'" + t + "' is in the log exactly once");
            }
            for (LoadClient v : victims) {
                long own = acknowledged.stream().filter(t -> t.startsWith(v.nick + " ")).count();
                assertTrue(own >= VICTIM_SENT_BEFORE_KILL && own < VICTIM_WOULD_SEND,
                        v.nick + " was killed while it was sending: " + own + " acknowledged");
            }

            System.out.printf("worker crash under load: %d messages acknowledged, each delivered once to %d survivors"
                    + " and stored once; workers %s SIGKILLed%n", acknowledged.size(), senders.size(), victimWorkers.values());

            daemon.signal(15);
            assertEquals(0, daemon.awaitExit(WAIT));
            assertEquals(List.of(), DaemonProcess.awaitNoProcessOf(state, Duration.ofSeconds(15)), "no process leaked");
        } finally {
            pool.shutdownNow();
            concat(senders, victims).forEach(LoadClient::close);
        }
    }

    @Test
    void garbageAppendedToTheLogTailIsReportedAtStartAndHistoryIsIntact() throws Exception {
        List<String> said = List.of("before the garbage 1", "before the garbage 2", "before the garbage 3");
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1");
             LoadClient pat = LoadClient.register(daemon.port(), "pat", WAIT)) {
            pat.join("#tail", WAIT);
            for (String t : said) {
                pat.send("PRIVMSG #tail :" + t);
            }
            pat.require(() -> said.stream().allMatch(t -> pat.count(t) == 1), WAIT, "the echoes");
            daemon.signal(15);
            assertEquals(0, daemon.awaitExit(WAIT));
        }
        assertEquals(List.of(), DaemonProcess.awaitNoProcessOf(state, WAIT));
        Path log = LogFile.activeSegment(state); // the only segment: its offsets are the log's
        long whole = java.nio.file.Files.size(log);
        // what a disk or a stray writer might leave: the start of a record header, then noise
        byte[] garbage = new byte[300];
        new java.util.Random(8).nextBytes(garbage);
        System.arraycopy(new byte[] {0x46, 0x4B, 0x43, 0x31, 0, 0, 1, 0}, 0, garbage, 0, 8);
        java.nio.file.Files.write(log, garbage, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(1, LogFile.forkchatd("log", "verify", log.toString()).exit(), "verify sees the damage");

        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1");
             LoadClient quinn = LoadClient.register(daemon.port(), "quinn", WAIT)) {
            String report = daemon.awaitLog(l -> l.contains("truncating torn tail"), WAIT);
            assertTrue(report != null && report.contains("of 300 bytes at offset " + whole), "reported: " + report);
            quinn.join("#tail", WAIT);
            quinn.require(() -> said.stream().allMatch(t -> quinn.historyCount(t) == 1), WAIT, "the history, whole");
            quinn.send("PRIVMSG #tail :after the garbage");
            quinn.require(() -> quinn.count("after the garbage") == 1, WAIT, "a new message stored and echoed");
            LogFile.Run verify = LogFile.forkchatd("log", "verify", log.toString());
            assertEquals(0, verify.exit(), "the log is whole again: " + verify.output());
        }
    }

    /** Sends {@code n} numbered messages, at most WINDOW unacknowledged; returns how many were acknowledged. */
    private static int send(LoadClient c, int n) {
        int acked = 0;
        try {
            for (int i = 1; i <= n; i++) {
                int oldest = i - WINDOW;
                if (oldest >= 1 && !c.await(() -> c.count(text(c, oldest)) > 0 || c.isClosed(), WAIT)) {
                    break; // stalled: the caller's assertion says so
                }
                if (c.isClosed()) {
                    break;
                }
                c.send("PRIVMSG " + CHANNEL + " :" + text(c, i));
            }
            c.await(() -> c.count(text(c, n)) > 0 || c.isClosed(), WAIT);
        } catch (java.io.IOException e) {
            // a victim's connection died under it
        }
        for (int i = 1; i <= n; i++) {
            if (c.count(text(c, i)) > 0) {
                acked++;
            }
        }
        return acked;
    }

    private static String text(LoadClient c, int n) {
        return c.nick + " says " + n;
    }

    private static List<LoadClient> concat(List<LoadClient> a, List<LoadClient> b) {
        List<LoadClient> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
