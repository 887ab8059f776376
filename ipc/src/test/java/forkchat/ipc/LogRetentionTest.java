package forkchat.ipc;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static forkchat.ipc.LogSegmentsTest.TEN_RECORDS;
import static forkchat.ipc.LogSegmentsTest.appendFixed;
import static forkchat.ipc.LogSegmentsTest.fixed;
import static forkchat.ipc.LogSegmentsTest.ids;
import static forkchat.ipc.LogSegmentsTest.mode;
import static forkchat.ipc.MessageLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log retention on real segment files: what size and age remove, what they never remove, the
 * seal of a quiet active segment, and readers that meet removed segments.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogRetentionTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final LogRetention.Policy NONE = new LogRetention.Policy(0, Duration.ZERO, 0);

    @TempDir
    Path dir;
    Path logDir;
    CapturedLog logged;

    @BeforeEach
    void setUp() {
        logDir = dir.resolve("log");
        logged = CapturedLog.of(MessageLog.class);
    }

    @AfterEach
    void tearDown() {
        logged.close();
    }

    private static LogRetention.Policy bySize(long maxBytes, long keepBytes) {
        return new LogRetention.Policy(maxBytes, Duration.ZERO, keepBytes);
    }

    private static LogRetention.Policy byAge(Duration maxAge) {
        return new LogRetention.Policy(0, maxAge, 0);
    }

    private LogRetention.Outcome apply(LogRetention.Policy policy, long keepFrom, long now) throws IOException {
        return LogRetention.apply(logDir, policy, keepFrom, now, Durability.ALWAYS);
    }

    private List<Path> segments(long... bases) {
        List<Path> out = new ArrayList<>();
        for (long b : bases) {
            out.add(LogSegments.path(logDir, b));
        }
        return out;
    }

    /**
     * Writes a segment by hand: one {@link LogSegmentsTest#RECORD}-byte record per time stamp,
     * numbered from {@code base / 100}, sealed (0400) or active (0600).
     */
    private void writeSegment(long base, boolean sealed, long... times) throws IOException {
        Files.createDirectories(logDir);
        ByteBuffer buf = ByteBuffer.allocate(LogSegmentsTest.RECORD);
        ByteBuffer all = ByteBuffer.allocate(LogSegmentsTest.RECORD * times.length);
        for (int i = 0; i < times.length; i++) {
            Records.encode(buf, times[i], 77, fixed((int) (base / LogSegmentsTest.RECORD) + i));
            all.put(buf);
        }
        Path p = LogSegments.path(logDir, base);
        Files.write(p, all.array());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(sealed ? "r--------" : "rw-------"));
    }

    private static long[] repeat(long time, int n) {
        long[] t = new long[n];
        java.util.Arrays.fill(t, time);
        return t;
    }

    // ---- by size ---------------------------------------------------------------------------------

    @Test
    void sizeRemovesTheOldestSealedSegmentsWhileTheLogIsOverTheLimit() throws IOException {
        appendFixed(logDir, 0, 65); // 0 .. 6000, the active one 500 bytes
        long now = System.currentTimeMillis();
        LogRetention.Outcome o = apply(bySize(3000, 0), 6500, now);
        assertEquals(segments(0, 1000, 2000, 3000), o.removed(), "oldest first");
        assertEquals(4000, o.removedBytes());
        assertFalse(o.sealed());
        assertEquals(4000, o.start());
        assertEquals(2500, o.size());
        assertArrayEquals(new long[] {4000, 5000, 6000}, LogSegments.bases(logDir));
        assertEquals(List.of(), apply(bySize(3000, 0), 6500, now).removed(), "under the limit now");
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS)) {
            assertEquals(ids(40, 65), ids(readAll(log)));
        }
    }

    @Test
    void sizeNeverRemovesASegmentEndingWithinKeepBytesOfTheEnd() throws IOException {
        appendFixed(logDir, 0, 65);
        LogRetention.Outcome o = apply(bySize(1000, 3500), 6500, System.currentTimeMillis());
        // a segment may go only if it ends at or before 6500 - 3500 = 3000
        assertEquals(segments(0, 1000, 2000), o.removed());
        assertEquals(3000, o.start());
        assertEquals(3500, o.size(), "still over the limit: the rest is within the reach of history");
    }

    @Test
    void sizeNeverRemovesTheActiveSegment() throws IOException {
        appendFixed(logDir, 0, 65);
        LogRetention.Outcome o = apply(bySize(1, 0), 6500, System.currentTimeMillis());
        assertEquals(6, o.removed().size());
        assertArrayEquals(new long[] {6000}, LogSegments.bases(logDir));
        assertEquals(500, o.size());
        // nor a sealed newest one (a roller died before creating the successor)
        LogSegmentsTest.sealByHand(LogSegments.path(logDir, 6000));
        assertEquals(List.of(), apply(bySize(1, 0), 6500, System.currentTimeMillis()).removed());
        assertArrayEquals(new long[] {6000}, LogSegments.bases(logDir));
    }

    @Test
    void nothingFromTheSegmentHoldingKeepFromOnIsRemoved() throws IOException {
        appendFixed(logDir, 0, 65);
        long now = System.currentTimeMillis();
        assertEquals(List.of(), apply(bySize(1, 0), 0, now).removed(), "keepFrom in the oldest segment");
        assertEquals(List.of(), apply(bySize(1, 0), 999, now).removed());
        assertEquals(segments(0, 1000), apply(bySize(1, 0), 2500, now).removed(),
                "the segment holding 2500 starts at 2000");
        assertEquals(List.of(), apply(bySize(1, 0), 2000, now).removed(), "a keepFrom at a segment's first byte");
        assertArrayEquals(new long[] {2000, 3000, 4000, 5000, 6000}, LogSegments.bases(logDir));
    }

    // ---- by age ----------------------------------------------------------------------------------

    @Test
    void ageRemovesSealedSegmentsWhoseNewestRecordIsOlderEvenWithinKeepBytes() throws IOException {
        long now = 1_800_000_000_000L;
        writeSegment(0, true, repeat(now - 10 * DAY, 10));
        writeSegment(1000, true, repeat(now - 5 * DAY, 10));
        long[] mixed = repeat(now - 10 * DAY, 10);
        mixed[9] = now - DAY; // its newest record is young: the segment stays
        writeSegment(2000, true, mixed);
        writeSegment(3000, false, now - Duration.ofHours(1).toMillis()); // a tenth of the age is 7.2 hours

        LogRetention.Policy policy = new LogRetention.Policy(0, Duration.ofDays(3), 1 << 20);
        assertEquals(List.of(), LogRetention.apply(logDir, policy, 500, now, Durability.NEVER).removed(),
                "not from the segment holding keepFrom on");
        LogRetention.Outcome o = LogRetention.apply(logDir, policy, 3100, now, Durability.NEVER);
        assertEquals(segments(0, 1000), o.removed());
        assertFalse(o.sealed(), "the active segment's oldest record is younger than a tenth of the age");
        assertEquals(2000, o.start());
        assertEquals(1100, o.size());
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(ids(20, 31), ids(readAll(log)));
        }
    }

    @Test
    void ageRemovesOldestFirstAndLeavesNoHole() throws IOException {
        long now = 1_800_000_000_000L;
        writeSegment(0, true, repeat(now - DAY, 10));
        writeSegment(1000, true, repeat(now - 10 * DAY, 10)); // older, but behind a young one
        writeSegment(2000, false, now);
        assertEquals(List.of(), apply(byAge(Duration.ofDays(3)), 2000, now).removed());
        assertArrayEquals(new long[] {0, 1000, 2000}, LogSegments.bases(logDir));
    }

    @Test
    void aQuietActiveSegmentIsSealedSoThatAgeCanReachIt() throws IOException {
        appendFixed(logDir, 0, 5); // the active segment 0, records stamped now
        long t = System.currentTimeMillis();
        LogRetention.Policy tenDays = byAge(Duration.ofDays(10));
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(ids(0, 5), ids(readAll(reader)));
            LogRetention.Outcome young = apply(tenDays, 500, t + DAY / 2);
            assertFalse(young.sealed(), "half a day old: younger than a tenth of ten days");
            assertEquals("rw-------", mode(LogSegments.path(logDir, 0)));

            LogRetention.Outcome quiet = apply(tenDays, 500, t + 2 * DAY);
            assertTrue(quiet.sealed());
            assertEquals(List.of(), quiet.removed(), "sealed, but not yet old");
            assertEquals("r--------", mode(LogSegments.path(logDir, 0)));
            assertEquals(500, Files.size(LogSegments.path(logDir, 0)));
            assertEquals("rw-------", mode(LogSegments.path(logDir, 500)), "the successor is created at its end");
            assertEquals(0, Files.size(LogSegments.path(logDir, 500)));
            assertEquals(500, quiet.size());

            assertFalse(apply(tenDays, 500, t + 3 * DAY).sealed(), "an empty active segment is never sealed");
            assertArrayEquals(new long[] {0, 500}, LogSegments.bases(logDir));

            assertEquals(500, writer.append(fixed(5)), "the writer follows to the successor");
            assertEquals(ids(5, 6), ids(readAll(reader)));

            // eleven days on: segment 0 is past the age; the active one's oldest record is past a
            // tenth of it, so it is sealed and, being past the age as well, removed in the same pass
            LogRetention.Outcome old = apply(tenDays, writer.size(), t + 11 * DAY);
            assertTrue(old.sealed());
            assertEquals(segments(0, 500), old.removed());
            assertArrayEquals(new long[] {600}, LogSegments.bases(logDir));
            assertEquals(600, writer.append(fixed(6)));
            assertEquals(ids(6, 7), ids(readAll(reader)));
        }
    }

    @Test
    void theActiveSegmentIsSealedAfterADayWhateverTheAge() throws IOException {
        appendFixed(logDir, 0, 3);
        long t = System.currentTimeMillis();
        // a tenth of 30 days is 3 days, but an active segment never stays open more than a day
        LogRetention.Outcome o = apply(byAge(Duration.ofDays(30)), 300, t + 2 * DAY);
        assertTrue(o.sealed());
        assertArrayEquals(new long[] {0, 300}, LogSegmentsTest.assertContiguousAndSealed(logDir, 0));
    }

    // ---- no limits -------------------------------------------------------------------------------

    @Test
    void aPolicyWithoutLimitsDoesNothing() throws IOException {
        assertEquals(new LogRetention.Outcome(List.of(), 0, false, 0, 0),
                LogRetention.apply(logDir, NONE, 0, System.currentTimeMillis(), Durability.NEVER));
        assertFalse(Files.exists(logDir), "nothing created either");
        appendFixed(logDir, 0, 35);
        long farFuture = System.currentTimeMillis() + 10_000 * DAY;
        for (LogRetention.Policy p : List.of(NONE, new LogRetention.Policy(0, Duration.ZERO, 100))) {
            LogRetention.Outcome o = LogRetention.apply(logDir, p, 3500, farFuture, Durability.NEVER);
            assertEquals(List.of(), o.removed());
            assertFalse(o.sealed());
        }
        assertArrayEquals(new long[] {0, 1000, 2000, 3000}, LogSegmentsTest.assertContiguousAndSealed(logDir, TEN_RECORDS));
    }

    // ---- readers ---------------------------------------------------------------------------------

    @Test
    void aReaderWithARemovedSegmentOpenKeepsReadingIt() throws IOException {
        appendFixed(logDir, 0, 5);
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(ids(0, 5), ids(readAll(reader))); // its read descriptor is on segment 0
            appendFixed(logDir, 5, 35);
            LogRetention.Outcome o = apply(bySize(1, 0), 1000, System.currentTimeMillis());
            assertEquals(segments(0), o.removed());
            assertFalse(Files.exists(LogSegments.path(logDir, 0)));
            assertEquals(ids(5, 35), ids(readAll(reader)), "the rest of the removed segment, then on");
        }
        assertTrue(logged.list.stream().noneMatch(ev -> ev.getLevel() == Level.WARN), logged.list.toString());
    }

    @Test
    void aReaderWhoseCursorIsBeforeTheOldestSegmentJumpsToIt() throws IOException {
        appendFixed(logDir, 0, 35);
        try (MessageLog early = MessageLog.open(logDir, Durability.NEVER)) { // cursor 0, nothing opened
            apply(bySize(1, 0), 2000, System.currentTimeMillis()); // removes 0 and 1000
            assertArrayEquals(new long[] {2000, 3000}, LogSegments.bases(logDir));
            assertEquals(ids(20, 35), ids(readAll(early)));
            assertEquals(3500, early.cursor());
            assertEquals(ids(20, 35), ids(early.readBackward(3500, 100, e -> true, Long.MAX_VALUE)),
                    "history ends where the log now starts");
        }
        assertTrue(logged.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN
                && ev.getFormattedMessage().contains("records before offset 2000 were removed by log retention")),
                logged.list.toString());
        try (MessageLog sought = MessageLog.open(logDir, Durability.NEVER)) {
            sought.seek(1500);
            assertEquals(ids(20, 35), ids(readAll(sought)));
        }
    }
}
