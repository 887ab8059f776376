package forkchat.ipc;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static forkchat.ipc.MessageLogTest.b;
import static forkchat.ipc.MessageLogTest.readAll;
import static forkchat.ipc.MessageLogTest.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log as a directory of segments, on real files: rolling, the seal, readers and writers
 * crossing segment boundaries, damage at and between segments, and the move of an older
 * single-file log into segment 0.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogSegmentsTest {

    /** Payload bytes that make a record of exactly {@link #RECORD} bytes. */
    static final int FIXED_PAYLOAD = 72;
    static final int RECORD = 100;
    /** With {@link #RECORD}-byte records: exactly ten records a segment, sealed at 1000 bytes. */
    static final long TEN_RECORDS = 1000;

    @TempDir
    Path dir;
    Path logDir;
    CapturedLog logged;

    @BeforeEach
    void setUp() {
        logDir = dir.resolve("log");
        logged = CapturedLog.of(MessageLog.class, LogSegments.class);
    }

    @AfterEach
    void tearDown() {
        logged.close();
    }

    /** A payload "r007......" of {@link #FIXED_PAYLOAD} bytes: record i is 100 bytes at offset 100*i. */
    static byte[] fixed(int i) {
        byte[] p = new byte[FIXED_PAYLOAD];
        Arrays.fill(p, (byte) '.');
        byte[] id = String.format("r%03d", i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(id, 0, p, 0, id.length);
        return p;
    }

    static String idOf(LogEntry e) {
        return new String(e.payload(), 0, 4, StandardCharsets.UTF_8);
    }

    static List<String> ids(List<LogEntry> entries) {
        return entries.stream().map(LogSegmentsTest::idOf).toList();
    }

    static List<String> ids(int fromInclusive, int toExclusive) {
        return IntStream.range(fromInclusive, toExclusive).mapToObj(i -> String.format("r%03d", i)).toList();
    }

    /** Appends records fixed(from) .. fixed(to-1) with a {@link #TEN_RECORDS} segment size. */
    static void appendFixed(Path logDir, int from, int to) throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS)) {
            for (int i = from; i < to; i++) {
                assertEquals((long) RECORD * i, log.append(fixed(i)));
            }
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Seals a segment the way a roller does, with fchmod on a descriptor, and nothing else. */
    static void sealByHand(Path segment) throws IOException {
        int fd = Posix.open(segment.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        try {
            Posix.fchmod(fd, LogSegments.SEALED_MODE, segment);
        } finally {
            Posix.close(fd);
        }
    }

    /**
     * The segments are contiguous (each one's base is the one before's base plus its size), only
     * segment files and the lock are in the directory, every sealed segment is 0400 and the newest
     * 0600, and (when {@code segmentBytes} &gt; 0) every sealed one was rolled at the size: it holds
     * at least that much and less than one maximal record more.
     */
    static long[] assertContiguousAndSealed(Path logDir, long segmentBytes) throws IOException {
        long[] bases = LogSegments.bases(logDir);
        assertTrue(bases.length > 0, "no segment in " + logDir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                assertTrue(n.equals("lock") || n.matches("\\d{20}\\.seg"), "unexpected file " + n);
            }
        }
        for (int i = 0; i < bases.length; i++) {
            Path seg = LogSegments.path(logDir, bases[i]);
            assertEquals(String.format("%020d.seg", bases[i]), seg.getFileName().toString());
            assertEquals(bases[i], LogSegments.baseOf(seg));
            long size = Files.size(seg);
            if (i == bases.length - 1) {
                assertEquals("rw-------", mode(seg), "the newest segment is active");
            } else {
                assertEquals("r--------", mode(seg), "segment " + bases[i] + " is sealed");
                assertEquals(bases[i] + size, bases[i + 1], "segment " + bases[i + 1] + " starts where the one before ends");
                if (segmentBytes > 0) {
                    assertTrue(size >= segmentBytes && size < segmentBytes + Records.MAX_RECORD,
                            "segment " + bases[i] + " rolled at " + size + " bytes");
                }
            }
        }
        return bases;
    }

    // ---- rolling ---------------------------------------------------------------------------------

    @Test
    void appendsRollIntoContiguousSegmentsNamedByTheirOffsets() throws IOException {
        List<Long> offsets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, 1024)) {
            for (int i = 0; i < 100; i++) {
                byte[] p = new byte[50 + (i * 37) % 200];
                Arrays.fill(p, (byte) i);
                ByteBuffer.wrap(p).putInt(i);
                long at = log.append(p);
                if (!offsets.isEmpty()) {
                    assertEquals(offsets.getLast() + Records.recordLength(lengths.getLast()), at,
                            "offsets run on across segments");
                }
                offsets.add(at);
                lengths.add(p.length);
            }
            long[] bases = assertContiguousAndSealed(logDir, 1024);
            assertTrue(bases.length >= 8, "100 records of ~150 bytes in 1 KB segments: " + bases.length);
            assertEquals(0, bases[0]);
            long newest = bases[bases.length - 1];
            assertEquals(newest + Files.size(LogSegments.path(logDir, newest)), log.size());
            for (int i = 0; i < offsets.size(); i++) {
                long first = offsets.get(i);
                long last = first + Records.recordLength(lengths.get(i)) - 1;
                assertEquals(LogSegments.floorBase(bases, first), LogSegments.floorBase(bases, last),
                        "record " + i + " lies in one segment");
            }
            assertEquals(0, log.cursor());
        }
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            List<LogEntry> got = readAll(reader);
            assertEquals(offsets, got.stream().map(LogEntry::offset).toList());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, ByteBuffer.wrap(got.get(i).payload()).getInt());
                assertEquals((int) lengths.get(i), got.get(i).payload().length);
            }
            assertEquals(reader.size(), reader.cursor());
        }
        assertFalse(logged.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN), logged.list.toString());
    }

    @Test
    void aFixedRecordSizeRollsExactlyAtTheSegmentSize() throws IOException {
        appendFixed(logDir, 0, 35);
        long[] bases = assertContiguousAndSealed(logDir, TEN_RECORDS);
        assertArrayEquals(new long[] {0, 1000, 2000, 3000}, bases);
        assertEquals(500, Files.size(LogSegments.path(logDir, 3000)));
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(ids(0, 35), ids(readAll(reader)));
        }
    }

    @Test
    void aReaderMidwayContinuesAcrossRollsMadeByAnotherInstance() throws IOException {
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS)) {
            for (int i = 0; i < 5; i++) {
                writer.append(fixed(i));
            }
            assertEquals(ids(0, 5), ids(readAll(reader)));
            assertEquals(500, reader.cursor());
            for (int i = 5; i < 42; i++) {
                writer.append(fixed(i)); // rolls at 1000, 2000, 3000, 4000 on the writer's description
            }
            assertEquals(5, LogSegments.bases(logDir).length);
            assertEquals(ids(5, 42), ids(readAll(reader)));
            assertEquals(4200, reader.cursor());
            // and the other way round: the reader's instance rolls, the writer's instance reads on
            for (int i = 42; i < 61; i++) {
                reader.append(fixed(i));
            }
            writer.seek(3900);
            assertEquals(ids(39, 61), ids(readAll(writer)));
        }
        assertContiguousAndSealed(logDir, TEN_RECORDS);
    }

    @Test
    void readBackwardCrossesSegmentsOldestFirstWithinLimitAndBudget() throws IOException {
        appendFixed(logDir, 0, 35); // segments at 0, 1000, 2000, 3000
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            long end = log.size();
            assertEquals(3500, end);
            assertEquals(ids(0, 35), ids(log.readBackward(end, 100, e -> true, Long.MAX_VALUE)));
            assertEquals(ids(23, 35), ids(log.readBackward(end, 12, e -> true, Long.MAX_VALUE)),
                    "the newest twelve, across the boundary at 3000");
            assertEquals(ids(27, 30), ids(log.readBackward(3000, 3, e -> true, Long.MAX_VALUE)),
                    "before a segment boundary: the end of the segment before");
            assertEquals(ids(28, 32), ids(log.readBackward(3200, 100, e -> true, 450)),
                    "450 bytes of budget: four records, two on each side of 3000");
            assertEquals(List.of("r000", "r007", "r014", "r021", "r028"),
                    ids(log.readBackward(3000, 100, e -> Integer.parseInt(idOf(e).substring(1)) % 7 == 0,
                            Long.MAX_VALUE)));
            assertEquals(ids(0, 35), ids(log.readBackward(end + 10_000, 100, e -> true, Long.MAX_VALUE)));
            // the reader's own segment is one of those crossed
            log.seek(2500);
            assertEquals(ids(25, 27), ids(readAll(log).subList(0, 2)));
            assertEquals(ids(16, 35), ids(log.readBackward(end, 19, e -> true, Long.MAX_VALUE)));
        }
    }

    // ---- the seal ----------------------------------------------------------------------------------

    @Test
    void aWriterWhoseSegmentWasSealedByAnotherMovesToTheNewest() throws IOException {
        try (MessageLog big = MessageLog.open(logDir, Durability.NEVER, 1 << 20);
             MessageLog small = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(0, big.append(fixed(0)));
            for (int i = 1; i < 11; i++) {
                small.append(fixed(i)); // the 11th record finds 1000 bytes: small seals segment 0
            }
            Path first = LogSegments.path(logDir, 0);
            assertEquals("r--------", mode(first));
            byte[] sealed = Files.readAllBytes(first);
            assertEquals(1000, sealed.length);
            // big's descriptor still points at segment 0 and O_APPEND would write there: it must not
            assertEquals(1100, big.append(fixed(11)), "big appends to the newest segment");
            assertArrayEquals(sealed, Files.readAllBytes(first), "a sealed segment is never written again");
            // interleave: small rolls every ten records, big follows each time
            for (int i = 12; i < 60; i++) {
                assertEquals((long) RECORD * i, (i % 2 == 0 ? big : small).append(fixed(i)));
            }
            assertContiguousAndSealed(logDir, TEN_RECORDS);
            assertEquals(ids(0, 60), ids(readAll(reader)));
        }
        LogScan.Result scan = LogScan.read(logDir, e -> { });
        assertTrue(scan.clean(), scan.toString());
        assertEquals(60, scan.records());
    }

    @Test
    void aWriterPreparedLongBeforeItsFirstAppendFollowsTheRollsMadeMeanwhile() throws IOException {
        try (MessageLog idle = MessageLog.open(logDir, Durability.NEVER, 1 << 20);
             MessageLog busy = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            Path first = LogSegments.path(logDir, 0);
            int before = descriptorsOn(first);
            idle.prepareAppend(); // holds segment 0 open for appending, as an idle worker does
            assertEquals(before + 1, descriptorsOn(first), "prepared: segment 0 is open before any record");
            for (int i = 0; i < 25; i++) {
                busy.append(fixed(i)); // seals segments 0 and 1 meanwhile
            }
            assertEquals(2500, idle.append(fixed(25)), "the prepared writer appends at the end, in the newest segment");
            assertEquals(1000, Files.size(first), "never into the sealed segment it held");
            assertContiguousAndSealed(logDir, TEN_RECORDS);
            assertEquals(ids(0, 26), ids(readAll(reader)));
        }
    }

    /** How many of this process's descriptors are open on {@code file} (Linux: /proc/self/fd). */
    private static int descriptorsOn(Path file) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file.toAbsolutePath())) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed while listed (the directory stream's own descriptor)
                }
            }
        }
        return n;
    }

    @Test
    void aCrashBetweenSealAndCreateIsRepairedByTheNextAppend() throws IOException {
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 3; i++) {
                writer.append(fixed(i));
            }
            assertEquals(ids(0, 3), ids(readAll(reader)));
            // the roller sealed segment 0 (below the size: a retention pass, or another writer's size)
            // and died before creating the successor
            sealByHand(LogSegments.path(logDir, 0));
            assertEquals(0, reader.readNew(e -> { }), "nothing after a sealed newest segment yet");
            assertEquals(300, reader.cursor());
            assertEquals(300, writer.append(fixed(3)), "the successor is created at base + size");
            assertEquals("rw-------", mode(LogSegments.path(logDir, 300)));
            assertEquals("r--------", mode(LogSegments.path(logDir, 0)));
            assertEquals(300, Files.size(LogSegments.path(logDir, 0)));
            assertEquals(ids(3, 4), ids(readAll(reader)));

            // the same state again, met by an instance that has never opened the log's segments
            sealByHand(LogSegments.path(logDir, 300));
            try (MessageLog fresh = MessageLog.open(logDir, Durability.ALWAYS, TEN_RECORDS)) {
                assertEquals(400, fresh.append(fixed(4)));
            }
            assertEquals(500, writer.append(fixed(5)), "the old writer follows to the newest");
            assertEquals(ids(4, 6), ids(readAll(reader)));
        }
        assertArrayEquals(new long[] {0, 300, 400}, assertContiguousAndSealed(logDir, 0));
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(ids(0, 6), ids(readAll(reader)));
        }
    }

    // ---- damage ------------------------------------------------------------------------------------

    /**
     * Segment 0 gets eight records and then the first 300 bytes of a 528-byte record; the next
     * append finds 1100 bytes, seals it and starts segment 1100. Returns the whole torn record's bytes.
     */
    private void tornRecordSealedIntoSegmentZero(MessageLog writer) throws IOException {
        for (int i = 0; i < 8; i++) {
            writer.append(fixed(i));
        }
        ByteBuffer whole = ByteBuffer.allocate(Records.recordLength(500));
        Records.encode(whole, System.currentTimeMillis(), 1, new byte[500]);
        byte[] torn = Arrays.copyOf(whole.array(), 300);
        Files.write(LogSegments.path(logDir, 0), torn, StandardOpenOption.APPEND);
    }

    @Test
    void anIncompleteEndOfASealedSegmentIsSkippedAndReportedAsCorrupt() throws IOException {
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            tornRecordSealedIntoSegmentZero(writer);
            assertEquals(ids(0, 8), ids(readAll(reader)));
            assertEquals(800, reader.cursor());
            assertEquals(0, reader.readNew(e -> { }), "an incomplete end of the active segment may yet grow");
            assertEquals(800, reader.cursor());
            assertTrue(logged.list.stream().noneMatch(ev -> ev.getLevel() == Level.WARN), "not damage yet");

            assertEquals(1100, writer.append(b("after the seal")), "segment 0 was full at 1100 bytes: rolled");
            assertEquals("r--------", mode(LogSegments.path(logDir, 0)));
            List<LogEntry> got = readAll(reader);
            assertEquals(List.of("after the seal"), strings(got));
            assertEquals(1100, got.get(0).offset());
            assertTrue(logged.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN
                    && ev.getFormattedMessage().contains("skipping 300 damaged bytes at offset 800")), logged.list.toString());
        }
        try (MessageLog fresh = MessageLog.open(logDir, Durability.NEVER)) {
            List<LogEntry> all = readAll(fresh);
            assertEquals(9, all.size());
            assertEquals(ids(0, 8), ids(all.subList(0, 8)));
            assertEquals(fresh.size(), fresh.cursor());
            List<LogEntry> back = fresh.readBackward(fresh.size(), 100, e -> true, Long.MAX_VALUE);
            assertEquals(all.stream().map(LogEntry::offset).toList(), back.stream().map(LogEntry::offset).toList(),
                    "the backward scan skips the same stretch");
        }
        List<LogScan.Result> r = new ArrayList<>();
        List<String> seen = LogScanTest.walk(logDir, r);
        List<String> expect = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expect.add("r:" + RECORD * i);
        }
        expect.add("c:800+300");
        expect.add("r:1100");
        assertEquals(expect, seen);
        LogScan.Result result = r.get(0);
        assertNull(result.tornTail(), "only the newest segment can have a torn tail");
        assertEquals(1, result.corrupt().size());
        assertTrue(result.corrupt().get(0).reason().contains("cut"), result.corrupt().get(0).reason());
        assertEquals(2, result.segments());
        assertEquals(0, result.start());
        assertEquals(1100 + Records.recordLength(b("after the seal").length), result.end());
        assertEquals(result.end(), result.size());
    }

    @Test
    void recoveryTruncatesATornTailOfTheNewestSegmentOnly() throws IOException {
        long newestEnd;
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS)) {
            tornRecordSealedIntoSegmentZero(writer);
            writer.append(b("one"));
            writer.append(b("two"));
            newestEnd = writer.size();
        }
        Path newest = LogSegments.path(logDir, 1100);
        long whole = Files.size(newest);
        Files.write(newest, new byte[] {0x46, 0x4B, 0x43, 0x31, 0, 0, 0, 3, 1, 2}, StandardOpenOption.APPEND);
        byte[] sealed = Files.readAllBytes(LogSegments.path(logDir, 0));

        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertEquals(new LogRecovery.Report(2, newestEnd, 10, List.of()), report,
                "two records in the newest segment, valid to its end at log offset " + newestEnd);
        assertEquals(whole, Files.size(newest));
        assertArrayEquals(sealed, Files.readAllBytes(LogSegments.path(logDir, 0)),
                "the sealed segment's corrupt end is left to readers and log verify");
        assertEquals(new LogRecovery.Report(2, newestEnd, 0, List.of()), LogRecovery.recover(logDir));
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, TEN_RECORDS)) {
            assertEquals(newestEnd, log.append(b("three")));
            List<LogEntry> all = readAll(log);
            assertEquals(List.of("one", "two", "three"), strings(all.subList(8, 11)));
        }
    }

    @Test
    void aMissingMiddleSegmentIsReportedAndReadersSkipToTheNextOne() throws IOException {
        appendFixed(logDir, 0, 35); // 0, 1000, 2000, 3000
        Files.delete(LogSegments.path(logDir, 1000));

        List<LogScan.Result> r = new ArrayList<>();
        List<String> seen = LogScanTest.walk(logDir, r);
        assertTrue(seen.contains("c:1000+1000"), seen.toString());
        assertEquals(seen.indexOf("r:900") + 1, seen.indexOf("c:1000+1000"));
        assertEquals(seen.indexOf("c:1000+1000") + 1, seen.indexOf("r:2000"));
        LogScan.Result result = r.get(0);
        assertEquals(List.of(new LogRecovery.Damage(1000, 1000, "segment missing")), result.corrupt());
        assertEquals(25, result.records());
        assertEquals(3, result.segments());
        assertNull(result.tornTail());

        List<String> expect = new ArrayList<>(ids(0, 10));
        expect.addAll(ids(20, 35));
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(expect, ids(readAll(reader)));
            assertEquals(3500, reader.cursor());
            assertEquals(expect, ids(reader.readBackward(3500, 100, e -> true, Long.MAX_VALUE)));
            assertEquals(List.of("r008", "r009", "r020"), ids(reader.readBackward(2100, 3, e -> true, Long.MAX_VALUE)));
        }
        assertTrue(logged.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN
                && ev.getFormattedMessage().contains("segments missing between offsets 1000 and 2000")),
                logged.list.toString());
        try (MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            reader.seek(1500); // a cursor inside the missing segment
            assertEquals(ids(20, 35), ids(readAll(reader)));
        }
    }

    // ---- the single-file log of an older forkchat ---------------------------------------------------

    /** Writes records as the single-file log did (same framing, base 0); returns their offsets. */
    private static List<Long> writeLegacy(Path file, int n, byte[] tail) throws IOException {
        List<Long> offsets = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(Records.MAX_RECORD);
        long at = 0;
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < n; i++) {
                Records.encode(buf, 1_600_000_000_000L + i, 4242, b("legacy " + i));
                byte[] rec = new byte[buf.remaining()];
                buf.get(rec);
                out.write(rec);
                offsets.add(at);
                at += rec.length;
            }
            out.write(tail);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return offsets;
    }

    @Test
    void recoveryMovesALegacyLogIntoSegmentZeroKeepingEveryOffset() throws IOException {
        Path legacy = dir.resolve(LogSegments.LEGACY_FILE);
        List<Long> offsets = writeLegacy(legacy, 5, new byte[] {0x46, 0x4B}); // and a torn tail
        byte[] before = Files.readAllBytes(legacy);
        long whole = before.length - 2;

        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertFalse(Files.exists(legacy), "moved, not copied");
        assertEquals("rwx------", mode(logDir));
        Path first = LogSegments.path(logDir, 0);
        assertArrayEquals(Arrays.copyOf(before, (int) whole), Files.readAllBytes(first));
        assertEquals(new LogRecovery.Report(5, whole, 2, List.of()), report, "then recovered as the newest segment");
        assertTrue(logged.list.stream().anyMatch(ev -> ev.getFormattedMessage().contains("now kept in segments")));

        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, 1)) {
            List<LogEntry> got = readAll(log);
            assertEquals(offsets, got.stream().map(LogEntry::offset).toList());
            assertEquals(List.of(1_600_000_000_000L, 1_600_000_000_004L),
                    List.of(got.get(0).timeMillis(), got.get(4).timeMillis()));
            assertEquals(4242, got.get(0).pid());
            assertEquals("legacy 3", MessageLogTest.s(got.get(3)));
            assertEquals(whole, log.append(b("new")), "the next record follows the old ones");
            assertEquals("r--------", mode(first), "the old log is the first sealed segment");
            assertEquals(whole, LogSegments.bases(logDir)[1]);
        }
    }

    @Test
    void prepareMovesALegacyLogIntoAnExistingEmptyDirectory() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(0, log.size()); // directory and lock, no segment
        }
        Path legacy = dir.resolve(LogSegments.LEGACY_FILE);
        List<Long> offsets = writeLegacy(legacy, 3, new byte[0]);
        LogSegments.prepare(logDir);
        assertFalse(Files.exists(legacy));
        assertArrayEquals(new long[] {0}, LogSegments.bases(logDir));
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(offsets, readAll(log).stream().map(LogEntry::offset).toList());
        }
    }

    @Test
    void aLegacyLogBesideASegmentedOneIsLeftAlone() throws IOException {
        appendFixed(logDir, 0, 3);
        byte[] segment = Files.readAllBytes(LogSegments.path(logDir, 0));
        Path legacy = dir.resolve(LogSegments.LEGACY_FILE);
        writeLegacy(legacy, 2, new byte[0]);
        byte[] old = Files.readAllBytes(legacy);

        LogSegments.prepare(logDir);
        LogRecovery.recover(logDir);
        assertArrayEquals(old, Files.readAllBytes(legacy));
        assertArrayEquals(segment, Files.readAllBytes(LogSegments.path(logDir, 0)));
        assertArrayEquals(new long[] {0}, LogSegments.bases(logDir));
        assertTrue(logged.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN
                && ev.getFormattedMessage().contains("is left alone")), logged.list.toString());
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(ids(0, 3), ids(readAll(log)));
        }
    }

    @Test
    void segmentNamesAndBaseLookups() {
        assertEquals("00000000000067108912.seg", LogSegments.path(logDir, 67108912).getFileName().toString());
        assertEquals(67108912, LogSegments.baseOf(LogSegments.path(logDir, 67108912)));
        assertEquals(-1, LogSegments.baseOf(logDir.resolve("lock")));
        assertEquals(-1, LogSegments.baseOf(logDir.resolve("123.seg")));
        long[] bases = {0, 1000, 3000};
        assertEquals(0, LogSegments.floorBase(bases, 999));
        assertEquals(1000, LogSegments.floorBase(bases, 1000));
        assertEquals(1000, LogSegments.floorBase(bases, 2999));
        assertEquals(3000, LogSegments.floorBase(bases, 1 << 20));
        assertEquals(-1, LogSegments.floorBase(new long[] {500}, 499));
        assertEquals(1000, LogSegments.nextBase(bases, 0));
        assertEquals(3000, LogSegments.nextBase(bases, 1500));
        assertEquals(-1, LogSegments.nextBase(bases, 3000));
    }
}
