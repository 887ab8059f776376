package forkchat.ipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static forkchat.ipc.MessageLogTest.b;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The log shared by real processes: concurrent appenders, and writes that hit a file size limit. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogProcessesTest {

    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void concurrentAppendersInSeparateJvmsNeverTearOrLoseARecord() throws Exception {
        Path logDir = dir.resolve("log");
        concurrentAppenders(logDir, MessageLog.DEFAULT_SEGMENT_BYTES);
        assertEquals(1, LogSegments.bases(logDir).length, "nowhere near a roll");
    }

    /**
     * The same with 4 KB segments: four JVMs roll the log hundreds of times between them while
     * the reader here follows; each roll is made by whichever writer finds the segment full.
     */
    @Test
    void concurrentAppendersRollingSmallSegmentsNeverTearOrLoseARecord() throws Exception {
        Path logDir = dir.resolve("log");
        concurrentAppenders(logDir, 4096);
        long[] bases = LogSegments.bases(logDir);
        assertTrue(bases.length > 100, "rolled many times: " + bases.length);
        LogSegmentsTest.assertContiguousAndSealed(logDir, 4096);
    }

    private void concurrentAppenders(Path logDir, long segmentBytes) throws Exception {
        int writers = 4;
        int each = 500;
        List<ChildJvm> children = new ArrayList<>();
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER, segmentBytes)) {
            for (int w = 0; w < writers; w++) {
                children.add(ChildJvm.start(Children.Appender.class, logDir.toString(), String.valueOf(each), "w" + w,
                        String.valueOf(segmentBytes)));
            }
            for (ChildJvm c : children) {
                c.expect("READY", STEP);
            }
            for (ChildJvm c : children) {
                c.send("GO");
            }
            // Read while they write: every read sees whole records, in a consistent order.
            Map<String, Integer> nextSeq = new HashMap<>();
            int[] total = {0};
            long deadline = System.nanoTime() + STEP.toNanos();
            while (total[0] < writers * each && System.nanoTime() < deadline) {
                reader.readNew(e -> {
                    String s = new String(e.payload(), StandardCharsets.UTF_8);
                    String[] parts = s.split(":", 3);
                    String id = parts[0];
                    int seq = Integer.parseInt(parts[1]);
                    int expected = nextSeq.getOrDefault(id, 0);
                    assertEquals(expected, seq, "writer " + id + " records in order, none twice, none lost");
                    assertArrayEquals(Children.appenderPayload(id, seq), e.payload());
                    nextSeq.put(id, seq + 1);
                    total[0]++;
                });
                LockSupport.parkNanos(1_000_000); // polling pace only; correctness does not depend on it
            }
            for (ChildJvm c : children) {
                c.expect("DONE " + each, STEP);
                assertEquals(0, c.exitCode(STEP), c.stderr());
            }
            reader.readNew(e -> total[0]++);
            assertEquals(writers * each, total[0]);
            for (int w = 0; w < writers; w++) {
                assertEquals(each, nextSeq.get("w" + w));
            }
            assertEquals(reader.size(), reader.cursor());
            Map<Integer, Integer> perPid = new HashMap<>();
            reader.readBackward(reader.size(), Integer.MAX_VALUE, e -> {
                perPid.merge(e.pid(), 1, Integer::sum);
                return false;
            }, Long.MAX_VALUE);
            Map<Integer, Integer> expectedPids = new HashMap<>();
            for (ChildJvm c : children) {
                expectedPids.put((int) c.pid(), each);
            }
            assertEquals(expectedPids, perPid, "each record carries its writer's pid; the backward walk sees all");
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
        long[] bases = LogSegments.bases(logDir);
        long newest = bases[bases.length - 1];
        int inNewest = 0;
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.seek(newest);
            inNewest = log.readNew(e -> { });
        }
        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertEquals(new LogRecovery.Report(inNewest, newest + Files.size(LogSegments.path(logDir, newest)), 0,
                List.of()), report, "recovery walks the newest segment, at log offsets");
        LogScan.Result scan = LogScan.read(logDir, e -> { });
        assertTrue(scan.clean(), scan.toString());
        assertEquals(writers * each, scan.records());
        assertEquals(bases.length, scan.segments());
    }

    /**
     * A reader in this JVM stands in the middle of the first segment; a child JVM appends enough
     * to roll several times. The reader goes on from where it stood, across every roll, in order.
     */
    @Test
    void aReaderContinuesAcrossRollsMadeByAnotherProcess() throws Exception {
        Path logDir = dir.resolve("log");
        int each = 60;
        try (MessageLog mine = MessageLog.open(logDir, Durability.NEVER, 2048)) {
            mine.append(b("before the child"));
            assertEquals(List.of("before the child"), MessageLogTest.strings(MessageLogTest.readAll(mine)));
            long stood = mine.cursor();
            try (ChildJvm child = ChildJvm.start(Children.Appender.class, logDir.toString(), String.valueOf(each),
                    "c", "2048")) {
                child.expect("READY", STEP);
                child.send("GO");
                child.expect("DONE " + each, STEP);
                assertEquals(0, child.exitCode(STEP), child.stderr());
            }
            assertTrue(LogSegments.bases(logDir).length >= 5, "the child rolled several times");
            assertEquals(stood, mine.cursor());
            List<LogEntry> got = MessageLogTest.readAll(mine);
            assertEquals(each, got.size());
            for (int i = 0; i < each; i++) {
                assertArrayEquals(Children.appenderPayload("c", i), got.get(i).payload());
            }
            assertEquals(stood, got.get(0).offset());
            assertEquals(mine.size(), mine.cursor());
            LogSegmentsTest.assertContiguousAndSealed(logDir, 2048);
        }
    }

    /**
     * A roller died between sealing the newest segment and creating its successor. A daemon that
     * is not root cannot open a 0400 file for writing: recovery, the next writer and a retention
     * pass must all get by without doing so. Run in a child JVM without CAP_DAC_OVERRIDE (via
     * setpriv when these tests run as root).
     */
    @Test
    void aSealedNewestSegmentIsHandledWithoutWriteAccessToIt() throws Exception {
        Path logDir = dir.resolve("log");
        LogSegmentsTest.appendFixed(logDir, 0, 3);
        LogSegmentsTest.sealByHand(LogSegments.path(logDir, 0));
        List<String> cmd = new ArrayList<>();
        if (Posix.get().getuid() == 0) {
            Path setpriv = Path.of("/usr/bin/setpriv");
            assumeTrue(Files.isExecutable(setpriv), "no setpriv to drop CAP_DAC_OVERRIDE with");
            cmd.addAll(List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search"));
        }
        cmd.addAll(ChildJvm.command(Children.AfterCrashedRoll.class, logDir.toString()));
        try (ChildJvm child = ChildJvm.start(cmd)) {
            assertEquals("RECOVERED 3 300 0", child.expect("RECOVERED", STEP));
            assertEquals("APPENDED 300", child.expect("APPENDED", STEP));
            assertEquals("RETAINED false 0", child.expect("RETAINED", STEP));
            assertEquals("APPENDED " + (300 + 28 + 15), child.expect("APPENDED", STEP));
            child.expect("SYNCED", STEP);
            assertEquals(0, child.exitCode(STEP), child.stderr());
        }
        assertArrayEquals(new long[] {0, 300, 343}, LogSegmentsTest.assertContiguousAndSealed(logDir, 0));
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            List<String> got = MessageLogTest.strings(MessageLogTest.readAll(log));
            assertEquals(List.of("after the crash", "and again"), got.subList(3, 5));
        }
    }

    @Test
    void appendThatHitsTheFileSizeLimitFailsAndLeavesNoHalfRecord() throws Exception {
        Path logDir = dir.resolve("log");
        Path file = LogSegments.path(logDir, 0);
        try (ChildJvm child = ChildJvm.start(Children.FsizeAppender.class, logDir.toString())) {
            assertEquals("SEVEN 7196", child.expect("SEVEN", STEP));
            String shortWrite = child.expect("SHORT", STEP);
            assertTrue(shortWrite.startsWith("SHORT FAILED") && shortWrite.contains("short write"), shortWrite);
            assertEquals("SIZE 7196", child.expect("SIZE", STEP), "truncated back to the size before");
            assertEquals("FIT 7196 8192", child.expect("FIT", STEP));
            String full = child.expect("FULL", STEP);
            assertTrue(full.startsWith("FULL FAILED") && full.contains("write(") && full.contains("EFBIG"), full);
            assertEquals("SIZE 8192", child.expect("SIZE", STEP));
            assertEquals("READ 8", child.expect("READ", STEP));
            assertEquals(0, child.exitCode(STEP), child.stderr());
        }
        assertEquals(8192, Files.size(file));
        assertEquals(new LogRecovery.Report(8, 8192, 0, List.of()), LogRecovery.recover(logDir));
    }
}
