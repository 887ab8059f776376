package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Event;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forkchatd log verify | dump} on logs a real daemon wrote: whole, with a torn tail, with a
 * corrupt record in the middle; and the daemon itself never serving that corrupt record.
 */
class LogCommandTest {

    @TempDir
    Path state;

    /** A daemon whose client pat has said {@code texts} in {@code channel}; stopped with SIGTERM. */
    private void writeWithADaemon(String channel, List<String> texts) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1");
             IrcClient pat = IrcClient.register(daemon.port(), "pat")) {
            pat.join(channel);
            for (String t : texts) {
                pat.send("PRIVMSG " + channel + " :" + t);
            }
            pat.send("PING :stored"); // answered after every PRIVMSG before it was appended
            pat.expect(l -> l.endsWith("stored"));
            daemon.signal(15);
            assertEquals(0, daemon.awaitExit(Duration.ofSeconds(30)));
        }
    }

    @Test
    void verifyAndDumpReadTheLogOfARunningDaemonWithoutChangingIt() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1");
             IrcClient pat = IrcClient.register(daemon.port(), "pat")) {
            pat.join("#log");
            pat.send("PRIVMSG #log :first words");
            pat.send("PRIVMSG #log :bell \u0007 and escape \u001b[31m red");
            pat.send("PING :stored");
            pat.expect(l -> l.endsWith("stored"));
            Path log = LogFile.of(state);
            Path segment = LogFile.activeSegment(state); // one segment: offsets are its file offsets
            byte[] before = Files.readAllBytes(segment);

            LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
            assertEquals(0, verify.exit(), verify.output());
            long records = LogFile.records(log).size();
            assertTrue(verify.output().contains(log + ": " + records + " records, " + before.length + " bytes"),
                    verify.output());
            assertTrue(verify.output().contains("first record 20") && verify.output().strip().endsWith("ok"),
                    verify.output());

            LogFile.Run dump = LogFile.forkchatd("log", "dump", "-c", "state_dir=" + state);
            assertEquals(0, dump.exit(), dump.output());
            List<String> lines = dump.output().lines().toList();
            assertEquals(records, lines.size(), dump.output());
            assertTrue(lines.get(0).matches(" *0 20\\d\\d-.*Z pid=" + daemon.pid() + " SERVER-START forkchat.local"),
                    lines.get(0));
            assertTrue(lines.stream().anyMatch(l -> l.matches(" *\\d+ \\S+Z pid=\\d+ s=\\S+ JOIN pat #log")), dump.output());
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(" PRIVMSG pat!pat@127.0.0.1 -> #log :first words")),
                    dump.output());
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(":bell \\x07 and escape \\x1b[31m red")),
                    "control characters are shown, not sent to the terminal: " + dump.output());

            // the parent's options, a directory and a segment file given outright work too
            assertEquals(0, LogFile.forkchatd("-c", "state_dir=" + state, "log", "verify").exit());
            assertEquals(0, LogFile.forkchatd("log", "verify", log.toString()).exit());
            LogFile.Run one = LogFile.forkchatd("log", "verify", segment.toString());
            assertEquals(0, one.exit(), one.output());
            assertTrue(one.output().contains(segment + ": " + records + " records"), one.output());
            assertArrayEquals(before, Files.readAllBytes(segment), "verify and dump change nothing");
            // and the daemon did not notice
            pat.send("PRIVMSG #log :after the inspection");
            pat.send("PING :still");
            pat.expect(l -> l.endsWith("still"));
            assertTrue(LogFile.messageTexts(log).contains("after the inspection"));
        }
    }

    @Test
    void verifyReportsATornTailWithItsOffsetAndFails() throws Exception {
        writeWithADaemon("#torn", List.of("one", "two"));
        Path log = LogFile.activeSegment(state);
        long whole = Files.size(log);
        // the first 13 bytes of a record: a writer killed inside its write(2)
        Files.write(log, new byte[] {0x46, 0x4B, 0x43, 0x31, 0, 0, 0, 40, 0, 0, 1, 2, 3},
                java.nio.file.StandardOpenOption.APPEND);

        LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
        assertEquals(1, verify.exit(), verify.output());
        assertTrue(verify.output().contains("offset " + whole + ": torn tail of 13 bytes (header cut at 13 bytes)"),
                verify.output());
        assertTrue(verify.output().strip().endsWith("1 problem"), verify.output());
        LogFile.Run dump = LogFile.forkchatd("log", "dump", "--state-dir", state.toString());
        assertEquals(0, dump.exit());
        assertTrue(dump.output().strip().endsWith(whole + " ! TORN TAIL of 13 bytes (header cut at 13 bytes)"),
                dump.output());
        assertEquals(whole + 13, Files.size(log), "verify never truncates: the daemon does, at its start");
    }

    @Test
    void aCorruptMiddleRecordIsReportedWithItsOffsetAndNeverServedAsHistory() throws Exception {
        writeWithADaemon("#mid", List.of("m1", "m2", "m3 is the damaged one", "m4", "m5"));
        Path log = LogFile.of(state);
        LogFile.Record damaged = LogFile.records(log).stream()
                .filter(r -> r.event() instanceof Event.Message m && m.text().startsWith("m3")).findFirst().orElseThrow();
        long next = LogFile.records(log).stream().filter(r -> r.offset() > damaged.offset()).findFirst()
                .orElseThrow().offset();
        try (RandomAccessFile f = new RandomAccessFile(LogFile.activeSegment(state).toFile(), "rw")) {
            long at = next - 8 - 3; // inside its text ("one"), before the CRC and length trailer
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x20); // "onE": a bit flip on the disk, the CRC no longer matches
        }

        LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.toString());
        assertEquals(1, verify.exit(), verify.output());
        assertTrue(verify.output().contains("offset " + damaged.offset() + ": corrupt stretch of "
                + (next - damaged.offset()) + " bytes (CRC32C"), verify.output());
        LogFile.Run dump = LogFile.forkchatd("log", "dump", "--state-dir", state.toString());
        assertTrue(dump.output().contains(damaged.offset() + " ! CORRUPT of " + (next - damaged.offset()) + " bytes"),
                dump.output());
        assertTrue(dump.output().contains(":m4") && !dump.output().contains("damaged"), dump.output());

        try (DaemonProcess daemon = DaemonProcess.start(state, "pool_min_spare=1");
             IrcClient quinn = IrcClient.register(daemon.port(), "quinn")) {
            assertNotNull(daemon.awaitLog(l -> l.contains("corrupt stretch of " + (next - damaged.offset())
                    + " bytes at offset " + damaged.offset()), IrcClient.WAIT), "the daemon reports it at start");
            quinn.join("#mid");
            for (String t : List.of("m1", "m2", "m4", "m5")) {
                quinn.expect(l -> l.contains("PRIVMSG #mid :[") && l.endsWith(" " + t));
            }
            quinn.send("PING :end");
            quinn.expect(l -> l.endsWith("end"));
            assertTrue(quinn.received().stream().noneMatch(l -> l.contains("damaged")),
                    "the corrupt record is never served: " + quinn.received());
            assertNotNull(daemon.awaitLog(l -> l.contains("history scan skipping") && l.contains("at offset "
                    + damaged.offset()), IrcClient.WAIT), "the worker that skipped it says so");
        }
    }

    @Test
    void aMissingLogIsExit66() throws Exception {
        LogFile.Run verify = LogFile.forkchatd("log", "verify", "--state-dir", state.resolve("none").toString());
        assertEquals(66, verify.exit(), verify.output());
        assertTrue(verify.output().contains("no message log at"), verify.output());
    }
}
