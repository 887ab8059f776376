package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Event;
import forkchat.ipc.LogSegments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log kept in segments by real daemons with real worker JVMs: rolled by whichever worker
 * fills a segment, read across segments by history and by a restarted daemon, moved in from an
 * older version's single file, and shrunk by age retention without touching the running daemon's
 * records.
 */
class LogGrowthTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Room for about 130 of the messages below per segment. */
    private static final String SEGMENT = "log_segment_size=64k";
    private static final String PAD = "x".repeat(400);

    @TempDir
    Path state;

    /** Two clients of a fork daemon say {@code each} messages apiece in {@code channel}; the daemon is stopped. */
    private List<String> talk(String channel, int each, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("pool_min_spare=2", "flood_line_cost=0"));
        all.addAll(List.of(settings));
        List<String> said = new ArrayList<>();
        try (DaemonProcess daemon = DaemonProcess.start(state, all.toArray(String[]::new));
             IrcClient pat = IrcClient.register(daemon.port(), "pat");
             IrcClient sam = IrcClient.register(daemon.port(), "sam")) {
            pat.join(channel);
            sam.join(channel);
            for (int i = 0; i < each; i++) {
                String p = channel + "-pat-" + i + " " + PAD;
                String s = channel + "-sam-" + i + " " + PAD;
                pat.send("PRIVMSG " + channel + " :" + p);
                sam.send("PRIVMSG " + channel + " :" + s);
                said.add(p);
                said.add(s);
            }
            String last = channel + "-sam-" + (each - 1) + " ";
            pat.expect(l -> l.contains(last), WAIT); // pat has seen sam's last one: all were stored
            pat.send("PING :stored");
            pat.expect(l -> l.endsWith("stored"), WAIT);
            daemon.signal(15);
            assertEquals(0, daemon.awaitExit(WAIT));
        }
        assertEquals(List.of(), DaemonProcess.awaitNoProcessOf(state, WAIT));
        return said;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void workersRollSegmentsAndHistoryAndARestartReadAcrossThem() throws Exception {
        List<String> said = talk("#seg", 150, SEGMENT);
        Path log = LogFile.of(state);
        long[] bases = LogSegments.bases(log);
        assertTrue(bases.length >= 3, "about 140 KB of records in 64 KB segments: " + bases.length + " segments");
        for (int i = 0; i < bases.length; i++) {
            Path seg = LogSegments.path(log, bases[i]);
            if (i + 1 < bases.length) {
                assertEquals(bases[i + 1], bases[i] + Files.size(seg), "segments are contiguous: " + seg);
                assertEquals("r--------", mode(seg), "sealed: " + seg);
            } else {
                assertEquals("rw-------", mode(seg), "the active one: " + seg);
            }
        }
        List<String> inLog = LogFile.messageTexts(log);
        assertEquals(said.size(), inLog.size(), "every message stored once");
        assertTrue(inLog.containsAll(said));

        LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
        assertEquals(0, verify.exit(), verify.output());
        assertTrue(verify.output().contains(" in " + bases.length + " segments"), verify.output());

        // a new run: history reaches back across the segment boundaries, in log order
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1", SEGMENT, "history_on_join=250");
             IrcClient quinn = IrcClient.register(daemon.port(), "quinn")) {
            quinn.join("#seg");
            List<String> expected = inLog.subList(inLog.size() - 250, inLog.size());
            quinn.expect(l -> l.endsWith(" " + expected.get(expected.size() - 1)), WAIT);
            quinn.send("PING :history");
            quinn.expect(l -> l.endsWith("history"), WAIT);
            List<String> replayed = quinn.received().stream().filter(l -> l.contains("PRIVMSG #seg :["))
                    .map(l -> l.substring(l.indexOf("] ") + 2)).toList();
            assertEquals(expected, replayed);
            long start = LogFile.records(log).stream().filter(r -> r.event() instanceof Event.ServerStart)
                    .reduce((a, b) -> b).orElseThrow().offset();
            assertEquals(start, LogSegments.baseOf(LogSegments.active(log)),
                    "each run begins a segment of its own");
        }
    }

    @Test
    void anOlderVersionsSingleFileLogIsMovedInWithEveryOffsetKept() throws Exception {
        List<String> said = talk("#old", 5);
        Path log = LogFile.of(state);
        assertEquals(1, LogSegments.bases(log).length);
        List<LogFile.Record> before = LogFile.records(log);
        // what an older forkchat left: $state_dir/messages.log and no log directory
        Files.move(LogSegments.path(log, 0), state.resolve("messages.log"));
        try (var left = Files.list(log)) {
            for (Path p : left.toList()) {
                Files.delete(p); // the lock file and the presence snapshot
            }
        }
        Files.delete(log);
        LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
        assertEquals(0, verify.exit(), "log verify reads the old file where it is: " + verify.output());

        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1");
             IrcClient quinn = IrcClient.register(daemon.port(), "quinn")) {
            assertNotNull(daemon.awaitLog(l -> l.contains("moved the single-file log"), WAIT));
            quinn.join("#old");
            quinn.expect(l -> l.endsWith(" " + said.get(said.size() - 1)), WAIT);
        }
        assertTrue(Files.notExists(state.resolve("messages.log")));
        List<LogFile.Record> after = LogFile.records(log);
        assertEquals(before, after.subList(0, before.size()), "the same records at the same offsets");
    }

    @Test
    void ageRetentionRemovesEarlierRunsButNeverTheRunningOnesRecords() throws Exception {
        List<String> old = talk("#age", 150, SEGMENT);
        Path log = LogFile.of(state);
        long[] oldBases = LogSegments.bases(log);
        assertTrue(oldBases.length >= 3, oldBases.length + " segments");
        long runStart = oldBases[oldBases.length - 1] + Files.size(LogSegments.path(log, oldBases[oldBases.length - 1]));

        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1", SEGMENT, "log_retention_age=1s");
             IrcClient quinn = IrcClient.register(daemon.port(), "quinn")) {
            // a pass runs at start and then every second; the earlier run's segments are soon over a second old
            assertNotNull(daemon.awaitLog(l -> l.contains("log retention:") && l.contains("from offset " + runStart), WAIT),
                    "retention removed every segment of the earlier run, which ended at " + runStart);
            assertTrue(LogFile.messageTexts(log).isEmpty(), "every earlier message gone from the log");
            List<LogFile.Record> left = LogFile.records(log);
            assertTrue(left.get(0).event() instanceof Event.ServerStart, "the log now starts with this run: " + left);
            assertEquals(runStart, left.get(0).offset());

            quinn.join("#age");
            quinn.send("PRIVMSG #age :said after the retention");
            quinn.send("PING :after");
            quinn.expect(l -> l.endsWith("after"), WAIT);
            assertTrue(quinn.received().stream().noneMatch(l -> old.stream().anyMatch(l::contains)),
                    "no removed message is served as history");
            assertTrue(LogFile.messageTexts(log).contains("said after the retention"), "this run's records stay");

            LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
            assertEquals(0, verify.exit(), verify.output());
            assertTrue(verify.output().contains("older records removed by retention"), verify.output());
        }
    }

    @Test
    void aLongRunningDaemonShedsItsOwnOldRecordsAndNewSessionsStillSeeWhoIsOnline() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=2", "flood_line_cost=0", SEGMENT,
                "log_retention_age=2s");
             IrcClient pat = IrcClient.register(daemon.port(), "pat");
             IrcClient sam = IrcClient.register(daemon.port(), "sam")) {
            pat.join("#live");
            pat.send("TOPIC #live :set long ago");
            sam.join("#live");
            sam.send("AWAY :out");
            sam.send("PING :joined");
            sam.expect(l -> l.endsWith("joined"), WAIT);
            Path log = LogFile.of(state);
            long joined = LogFile.records(log).stream().filter(r -> r.event() instanceof Event.Join)
                    .mapToLong(LogFile.Record::offset).max().orElseThrow();

            // keep talking until retention has removed this run's start, joins and topic
            long deadline = System.nanoTime() + WAIT.toNanos();
            int said = 0;
            while (LogSegments.bases(log)[0] <= joined) {
                assertTrue(System.nanoTime() < deadline, "retention never removed the records up to " + joined
                        + "; segments from " + LogSegments.bases(log)[0]);
                String text = "keeping the log busy " + said++;
                pat.send("PRIVMSG #live :" + text);
                sam.expect(l -> l.endsWith(text), WAIT); // one message per round trip: paced by the daemon, no sleep
            }
            assertTrue(LogFile.records(log).stream().noneMatch(r -> r.event() instanceof Event.ServerStart
                    || r.event() instanceof Event.Join), "the run's start and the joins are gone from the log");

            try (IrcClient quinn = IrcClient.register(daemon.port(), "quinn")) {
                quinn.send("NICK pat");
                quinn.expect(l -> l.contains(" 433 ") && l.contains("pat"), WAIT);
                quinn.join("#live"); // returns at the end of NAMES
                List<String> got = quinn.received();
                assertTrue(got.stream().anyMatch(l -> l.contains(" 332 ") && l.endsWith(":set long ago")),
                        "the topic, set before the retention: " + got);
                String names = got.stream().filter(l -> l.contains(" 353 ") && l.contains("#live")).findFirst()
                        .orElseThrow();
                assertTrue(names.contains("pat") && names.contains("sam") && names.contains("quinn"), names);
                quinn.send("WHOIS sam");
                quinn.expect(l -> l.contains(" 301 ") && l.endsWith(":out"), WAIT);
                pat.send("PRIVMSG #live :welcome quinn");
                quinn.expect(l -> l.endsWith(":welcome quinn"), WAIT);
            }
            LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
            assertEquals(0, verify.exit(), verify.output());
        }
    }
}
