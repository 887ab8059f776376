package forkchat.ipc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessageLogTest {

    @TempDir
    Path dir;
    /** The log directory, and its first segment (where the byte-level tests poke). */
    Path logDir;
    Path segment;
    CapturedLog logged;

    @BeforeEach
    void setUp() {
        logDir = dir.resolve("log");
        segment = LogSegments.path(logDir, 0);
        logged = CapturedLog.of(MessageLog.class);
    }

    @AfterEach
    void tearDown() {
        logged.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(LogEntry e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }

    static List<LogEntry> readAll(MessageLog log) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        log.readNew(out::add);
        return out;
    }

    static List<String> strings(List<LogEntry> entries) {
        return entries.stream().map(MessageLogTest::s).toList();
    }

    @Test
    void appendThenReadNewRoundTrips() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(0, log.cursor());
            assertEquals(0, log.size());
            long t0 = System.currentTimeMillis();
            long a = log.append(b("alpha"));
            long e = log.append(new byte[0]);
            long c = log.append(b("gamma ü €"));
            long t1 = System.currentTimeMillis();
            assertEquals(0, a);
            assertEquals(28 + 5, e);
            assertEquals(e + 28, c);
            assertEquals(c + 28 + b("gamma ü €").length, log.size());
            assertEquals(Files.size(segment), log.size());
            assertEquals(0, log.cursor(), "append does not move the cursor");

            List<LogEntry> got = readAll(log);
            assertEquals(List.of("alpha", "", "gamma ü €"), strings(got));
            assertEquals(List.of(a, e, c), got.stream().map(LogEntry::offset).toList());
            for (LogEntry entry : got) {
                assertEquals(ProcessGroup.pid(), entry.pid());
                assertTrue(entry.timeMillis() >= t0 && entry.timeMillis() <= t1, "time " + entry.timeMillis());
            }
            assertEquals(log.size(), log.cursor());
            assertEquals(0, log.readNew(x -> fail("nothing new")));
        }
    }

    @Test
    void onDiskFormatIsTheDocumentedOne() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("hi"));
        }
        ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.BIG_ENDIAN);
        assertEquals(30, r.remaining());
        assertEquals(0x464B4331, r.getInt(0));
        assertEquals(2, r.getInt(4));
        assertEquals(ProcessGroup.pid(), r.getInt(16));
        assertEquals('h', r.get(20));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(r.array(), 0, 22);
        assertEquals((int) crc.getValue(), r.getInt(22));
        assertEquals(30, r.getInt(26));
    }

    @Test
    void directoryLockAndSegmentAreCreatedPrivate() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertTrue(Files.isDirectory(logDir));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logDir)));
            Path lock = logDir.resolve("lock");
            assertTrue(Files.isRegularFile(lock));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)));
            assertFalse(Files.exists(segment), "the first segment is made by the first append");
            log.append(b("x"));
            assertTrue(Files.isRegularFile(segment));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segment)));
        }
    }

    @Test
    void cursorSemanticsAcrossInstances() throws IOException {
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            writer.append(b("a"));
            assertEquals(List.of("a"), strings(readAll(reader)));
            long afterA = reader.cursor();
            writer.append(b("b"));
            writer.append(b("c"));
            assertEquals(afterA, reader.cursor(), "the cursor moves only by reading");
            assertEquals(List.of("b", "c"), strings(readAll(reader)));
            assertEquals(List.of("a", "b", "c"), strings(readAll(writer)), "writer reads its own records too");
        }
    }

    @Test
    void seekMovesTheCursorToAKnownBoundary() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("one"));
            long two = log.append(b("two"));
            log.append(b("three"));
            readAll(log);
            log.seek(two);
            assertEquals(two, log.cursor());
            assertEquals(List.of("two", "three"), strings(readAll(log)));
            log.seek(0);
            assertEquals(3, readAll(log).size());
            assertThrows(IllegalArgumentException.class, () -> log.seek(-1));
        }
    }

    @Test
    void payloadLimits() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.ALWAYS)) {
            byte[] max = new byte[MessageLog.MAX_PAYLOAD];
            Arrays.fill(max, (byte) 7);
            long off = log.append(max);
            assertThrows(IllegalArgumentException.class, () -> log.append(new byte[MessageLog.MAX_PAYLOAD + 1]));
            assertThrows(NullPointerException.class, () -> log.append(null));
            assertEquals(28L + MessageLog.MAX_PAYLOAD, log.size(), "the rejected record left nothing");
            List<LogEntry> got = readAll(log);
            assertEquals(1, got.size());
            assertEquals(off, got.get(0).offset());
            assertArrayEquals(max, got.get(0).payload());
            log.sync();
        }
    }

    @Test
    void readsManyRecordsAcrossBatchesAndWindowGrowth() throws IOException {
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            int n = 400;
            for (int i = 0; i < n; i++) {
                int size = i % 50 == 0 ? MessageLog.MAX_PAYLOAD - i : 1000 + i;
                byte[] p = new byte[size];
                Arrays.fill(p, (byte) i);
                ByteBuffer.wrap(p).putInt(i);
                writer.append(p);
            }
            assertTrue(writer.size() > 2 * MessageLog.READ_BATCH);
            int[] next = {0};
            int delivered = reader.readNew(e -> {
                assertEquals(next[0], ByteBuffer.wrap(e.payload()).getInt());
                next[0]++;
            });
            assertEquals(n, delivered);
            assertEquals(writer.size(), reader.cursor());
        }
    }

    @Test
    void sinkExceptionDoesNotRedeliver() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("a"));
            log.append(b("poison"));
            log.append(b("c"));
            List<String> got = new ArrayList<>();
            assertThrows(IllegalStateException.class, () -> log.readNew(e -> {
                if (s(e).equals("poison")) {
                    throw new IllegalStateException("boom");
                }
                got.add(s(e));
            }));
            log.readNew(e -> got.add(s(e)));
            assertEquals(List.of("a", "c"), got);
        }
    }

    @Test
    void sinkMayAppendAndMaySeek() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("ping"));
            List<String> got = new ArrayList<>();
            // delivered outside the lock: answering from the sink does not deadlock
            log.readNew(e -> {
                got.add(s(e));
                try {
                    log.append(b("pong"));
                } catch (IOException ex) {
                    throw new AssertionError(ex);
                }
            });
            assertEquals(List.of("ping"), got);
            assertEquals(List.of("pong"), strings(readAll(log)));

            log.append(b("three"));
            log.append(b("four"));
            got.clear();
            log.seek(0);
            int n = log.readNew(e -> {
                got.add(s(e));
                if (s(e).equals("pong")) {
                    log.seek(0); // rewind: this read stops, the next starts over
                }
            });
            assertEquals(2, n);
            assertEquals(List.of("ping", "pong"), got);
            assertEquals(0, log.cursor());
            assertEquals(4, readAll(log).size());
        }
    }

    @Test
    void appendIfFoldsThenAppendsAndLeavesCursorBeforeOwnRecord() throws IOException {
        try (MessageLog other = MessageLog.open(logDir, Durability.NEVER);
             MessageLog me = MessageLog.open(logDir, Durability.NEVER)) {
            other.append(b("claim:alice"));
            other.append(b("msg:hello"));
            List<String> seen = new ArrayList<>();
            OptionalLong off = me.appendIf(e -> seen.add(s(e)),
                    () -> seen.contains("claim:bob") ? null : b("claim:bob"));
            assertEquals(List.of("claim:alice", "msg:hello"), seen);
            assertTrue(off.isPresent());
            assertEquals(off.getAsLong(), me.cursor(), "cursor just before the appended record");
            List<LogEntry> next = readAll(me);
            assertEquals(List.of("claim:bob"), strings(next));
            assertEquals(off.getAsLong(), next.get(0).offset());
            seen.addAll(strings(next)); // the session folds what readNew delivers too

            // A second claim of the same nick is refused: nothing appended, cursor at EOF.
            long size = me.size();
            int before = seen.size();
            OptionalLong again = me.appendIf(e -> seen.add(s(e)),
                    () -> seen.contains("claim:bob") ? null : b("claim:bob"));
            assertTrue(again.isEmpty());
            assertEquals(size, me.size());
            assertEquals(size, me.cursor());
            assertEquals(before, seen.size(), "nothing new to fold");
        }
    }

    @Test
    void callingBackIntoTheLogFromAppendIfIsRefusedInsteadOfDeadlocking() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER);
             MessageLog other = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("a"));
            assertThrows(IllegalStateException.class, () -> log.appendIf(e -> { }, () -> {
                try {
                    other.readNew(x -> { });
                } catch (IOException ex) {
                    throw new AssertionError(ex);
                }
                return null;
            }));
            assertThrows(IllegalStateException.class, () -> log.appendIf(e -> { }, () -> {
                try {
                    log.append(b("nested"));
                } catch (IOException ex) {
                    throw new AssertionError(ex);
                }
                return null;
            }));
            // the lock was released on the way out: others can write and read
            other.append(b("b"));
            assertEquals(List.of("a", "b"), strings(readAll(other)));
        }
    }

    @Test
    void appendIfMakesClaimsAtomicAcrossInstances() throws Exception {
        int threads = 4;
        int names = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<String> won = new ArrayList<>();
                    Set<String> claimed = new HashSet<>();
                    try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
                        start.await();
                        for (int i = 0; i < names; i++) {
                            String claim = "claim:n" + i;
                            OptionalLong r = log.appendIf(e -> claimed.add(s(e)),
                                    () -> claimed.contains(claim) ? null : b(claim));
                            if (r.isPresent()) {
                                won.add(claim);
                            }
                        }
                    }
                    return won;
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get(20, TimeUnit.SECONDS));
            }
            assertEquals(names, all.size(), "each name won exactly once: " + all);
            assertEquals(names, new HashSet<>(all).size());
            try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
                assertEquals(names, readAll(log).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exclusiveLockHoldsOffOtherWritersAndShowsInProcLocks() throws Exception {
        Path procLocks = Path.of("/proc/locks");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (MessageLog holder = MessageLog.open(logDir, Durability.NEVER);
             MessageLog other = MessageLog.open(logDir, Durability.NEVER)) {
            // the log's flock is taken on its lock file, never on a segment
            long ino = (Long) Files.getAttribute(logDir.resolve("lock"), "unix:ino");
            String inode = ":" + ino + " ";
            String pid = " " + ProcessGroup.pid() + " ";
            Future<?>[] blocked = new Future<?>[1];
            holder.appendIf(e -> { }, () -> {
                try {
                    if (Files.isReadable(procLocks)) {
                        List<String> held = Files.readAllLines(procLocks).stream()
                                .filter(l -> l.contains("FLOCK") && l.contains("WRITE") && l.contains(pid)
                                        && l.contains(inode))
                                .toList();
                        assertEquals(1, held.size(), "one FLOCK WRITE lock of ours on the log in /proc/locks");
                    }
                    blocked[0] = pool.submit(() -> other.append(b("second")));
                    // The other writer must wait for our LOCK_EX: a bounded negative check.
                    assertThrows(TimeoutException.class, () -> blocked[0].get(300, TimeUnit.MILLISECONDS));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return b("first");
            });
            assertEquals(33L, blocked[0].get(10, TimeUnit.SECONDS),
                    "the second writer appended after the first record");
            assertEquals(List.of("first", "second"), strings(readAll(other)));

            // readBackward's predicate runs under LOCK_SH: the lock shows as READ.
            holder.readBackward(holder.size(), 1, e -> {
                try {
                    if (Files.isReadable(procLocks)) {
                        assertTrue(Files.readAllLines(procLocks).stream().anyMatch(l -> l.contains("FLOCK")
                                && l.contains("READ") && l.contains(pid) && l.contains(inode)));
                    }
                } catch (IOException ex) {
                    throw new AssertionError(ex);
                }
                return true;
            }, Long.MAX_VALUE);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readBackwardFiltersLimitsAndBudgets() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                offsets.add(log.append(b((i % 2 == 0 ? "chan1:" : "chan2:") + i)));
            }
            long end = log.size();
            assertEquals(List.of("chan1:4", "chan1:6", "chan1:8"),
                    strings(log.readBackward(end, 3, e -> s(e).startsWith("chan1:"), Long.MAX_VALUE)));
            assertEquals(List.of("chan1:0", "chan1:2", "chan1:4", "chan1:6", "chan1:8"),
                    strings(log.readBackward(end, 100, e -> s(e).startsWith("chan1:"), Long.MAX_VALUE)));
            // before = a record being delivered: only what precedes it
            assertEquals(List.of("chan2:3", "chan1:4"),
                    strings(log.readBackward(offsets.get(5), 2, e -> true, Long.MAX_VALUE)));
            // byte budget: each record here is 35 bytes; 80 bytes allow two
            List<LogEntry> budgeted = log.readBackward(end, 100, e -> true, 80);
            assertEquals(List.of("chan1:8", "chan2:9"), strings(budgeted));
            assertEquals(offsets.get(8), budgeted.get(0).offset());
            assertEquals(List.of(), log.readBackward(0, 10, e -> true, Long.MAX_VALUE));
            assertEquals(List.of(), log.readBackward(end, 0, e -> true, Long.MAX_VALUE));
            assertEquals(10, log.readBackward(end + 1000, 100, e -> true, Long.MAX_VALUE).size(),
                    "an offset past EOF is taken as EOF");
            assertEquals(0, log.cursor(), "readBackward does not move the cursor");
        }
    }

    @Test
    void readBackwardSkipsDamageAndReportsItsOffset() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 6; i++) {
                offsets.add(log.append(b("r" + i)));
            }
        }
        flipByte(segment, offsets.get(2) + 21); // payload byte of r2: CRC mismatch
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(List.of("r0", "r1", "r3", "r4", "r5"),
                    strings(log.readBackward(log.size(), 100, e -> true, Long.MAX_VALUE)));
            assertEquals(List.of("r1", "r3"),
                    strings(log.readBackward(offsets.get(4), 2, e -> true, Long.MAX_VALUE)));
        }
        assertTrue(logged.list.stream().anyMatch(ev -> ev.getLevel() == ch.qos.logback.classic.Level.WARN
                && ev.getFormattedMessage().contains("skipping 30 damaged bytes at offset " + offsets.get(2))),
                "warning names offset and length: " + logged.list);
    }

    @Test
    void readBackwardSkipsATrailerThatPointsNowhere() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 4; i++) {
                offsets.add(log.append(b("t" + i)));
            }
        }
        writeInt(segment, offsets.get(3) - 4, 0x7fffffff); // the trailer of t2
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(List.of("t0", "t1", "t3"),
                    strings(log.readBackward(log.size(), 100, e -> true, Long.MAX_VALUE)));
            // the damage counts against the byte budget: t3 (30) + damage (30) leave room for nothing else
            assertEquals(List.of("t3"), strings(log.readBackward(log.size(), 100, e -> true, 60)));
        }
    }

    @Test
    void tornTailIsLeftForLaterAndRecoveryTruncatesIt() throws IOException {
        byte[] torn;
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("one"));
            log.append(b("two"));
            long three = log.append(b("three"));
            byte[] all = Files.readAllBytes(segment);
            torn = Arrays.copyOfRange(all, (int) three, (int) three + 25); // header + a bit
        }
        long whole = Files.size(segment);
        Files.write(segment, torn, StandardOpenOption.APPEND);
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(List.of("one", "two", "three"), strings(readAll(log)));
            assertEquals(whole, log.cursor(), "stops before the incomplete record");
            assertEquals(0, log.readNew(e -> fail("torn record delivered")));
            assertEquals(whole, log.cursor());
        }
        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertEquals(3, report.records());
        assertEquals(whole, report.validEnd());
        assertEquals(25, report.truncatedBytes());
        assertEquals(List.of(), report.corrupt());
        assertEquals(whole, Files.size(segment));
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("four"));
            assertEquals(List.of("one", "two", "three", "four"), strings(readAll(log)));
        }
        LogRecovery.Report clean = LogRecovery.recover(logDir);
        assertEquals(new LogRecovery.Report(4, Files.size(segment), 0, List.of()), clean);
    }

    @Test
    void garbageTailIsTruncatedToo() throws IOException {
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            log.append(b("one"));
        }
        long whole = Files.size(segment);
        Files.write(segment, b("this is not a record at all, just junk"), StandardOpenOption.APPEND);
        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertEquals(1, report.records());
        assertEquals(whole, report.validEnd());
        assertEquals(38, report.truncatedBytes());
        assertEquals(whole, Files.size(segment));
    }

    @Test
    void recoveryOfMissingOrEmptyLog() throws IOException {
        Path missing = dir.resolve("new");
        assertEquals(new LogRecovery.Report(0, 0, 0, List.of()), LogRecovery.recover(missing));
        assertTrue(Files.isDirectory(missing));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(missing)));
        assertEquals(0, LogSegments.bases(missing).length, "recovery creates no segment");
        // Entirely garbage: everything is a torn tail.
        Path first = LogSegments.path(missing, 0);
        Files.write(first, new byte[100]);
        assertEquals(new LogRecovery.Report(0, 0, 100, List.of()), LogRecovery.recover(missing));
        assertEquals(0, Files.size(first));
    }

    @Test
    void corruptMiddleRecordIsSkippedReportedAndRecovered() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 5; i++) {
                offsets.add(log.append(b("rec" + i)));
            }
        }
        flipByte(segment, offsets.get(1) + 22); // a payload byte of rec1: CRC mismatch
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(List.of("rec0", "rec2", "rec3", "rec4"), strings(readAll(log)));
            assertEquals(log.size(), log.cursor());
        }
        assertTrue(logged.list.stream().anyMatch(ev -> ev.getLevel() == ch.qos.logback.classic.Level.WARN
                && ev.getFormattedMessage().contains("at offset " + offsets.get(1))
                && ev.getFormattedMessage().contains("skipping 32 damaged bytes")),
                "warning names offset and length: " + logged.list);

        long size = Files.size(segment);
        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertEquals(4, report.records());
        assertEquals(size, report.validEnd());
        assertEquals(0, report.truncatedBytes());
        assertEquals(1, report.corrupt().size());
        LogRecovery.Damage d = report.corrupt().get(0);
        assertEquals(offsets.get(1), d.offset());
        assertEquals(32, d.length());
        assertTrue(d.reason().contains("CRC"), d.reason());
        assertEquals(size, Files.size(segment), "corrupt middle stretches are kept");
    }

    @Test
    void impossibleLengthIsDamage() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 3; i++) {
                offsets.add(log.append(b("rec" + i)));
            }
        }
        writeInt(segment, offsets.get(1) + 4, 0x7fff0000);
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(List.of("rec0", "rec2"), strings(readAll(log)));
        }
        LogRecovery.Report report = LogRecovery.recover(logDir);
        assertEquals(1, report.corrupt().size());
        assertTrue(report.corrupt().get(0).reason().contains("impossible"), report.corrupt().get(0).reason());
    }

    @Test
    void lengthCorruptedToPointPastEofIsDamageWhenValidRecordsFollow() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 3; i++) {
                offsets.add(log.append(b("rec" + i)));
            }
        }
        writeInt(segment, offsets.get(1) + 4, 60000); // in range, but reaches past EOF
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            assertEquals(List.of("rec0", "rec2"), strings(readAll(log)));
        }
    }

    @Test
    void garbageAtTheEndIsSkippedOnceAValidRecordFollowsIt() throws IOException {
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER);
             MessageLog reader = MessageLog.open(logDir, Durability.NEVER)) {
            writer.append(b("before"));
            assertEquals(List.of("before"), strings(readAll(reader)));
            long junkAt = writer.size();
            Files.write(segment, b("JUNKJUNKJUNK"), StandardOpenOption.APPEND);
            assertEquals(0, reader.readNew(e -> fail("junk delivered")));
            assertEquals(junkAt, reader.cursor(), "waits at what may be an incomplete tail");
            assertEquals(0, reader.readNew(e -> fail("junk delivered")));
            writer.append(b("after"));
            assertEquals(List.of("after"), strings(readAll(reader)));
            assertEquals(writer.size(), reader.cursor());
        }
    }

    @Test
    void closedLogRefusesWork() throws IOException {
        MessageLog log = MessageLog.open(logDir, Durability.NEVER);
        log.close();
        log.close();
        assertThrows(IOException.class, () -> log.append(b("x")));
        assertThrows(IOException.class, () -> log.readNew(e -> { }));
        assertThrows(IOException.class, log::size);
    }

    @Test
    void openFailsWithErrnoText() throws IOException {
        // the lock file cannot be opened read-write when a directory stands in its place
        Files.createDirectories(logDir.resolve("lock"));
        IOException e = assertThrows(IOException.class, () -> MessageLog.open(logDir, Durability.NEVER));
        assertTrue(e.getMessage().contains("open(") && e.getMessage().contains("EISDIR"), e.getMessage());
    }

    @Test
    void openCreatesAMissingLogDirectoryPrivate() throws IOException {
        Path nested = dir.resolve("no/such/dir/log");
        try (MessageLog log = MessageLog.open(nested, Durability.NEVER)) {
            assertEquals(0, log.append(b("first")));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        assertTrue(Files.isRegularFile(LogSegments.path(nested, 0)));
    }

    static void flipByte(Path f, long offset) throws IOException {
        byte[] all = Files.readAllBytes(f);
        all[(int) offset] ^= 0x20;
        Files.write(f, all);
    }

    static void writeInt(Path f, long offset, int value) throws IOException {
        byte[] all = Files.readAllBytes(f);
        ByteBuffer.wrap(all).putInt((int) offset, value);
        Files.write(f, all);
    }

    @Test
    void recordsBetweenWritersAreNotLost() throws IOException {
        // two instances alternate appends; a third reads between: sees a growing, consistent prefix
        try (MessageLog a = MessageLog.open(logDir, Durability.NEVER);
             MessageLog c = MessageLog.open(logDir, Durability.NEVER);
             MessageLog r = MessageLog.open(logDir, Durability.NEVER)) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                (i % 2 == 0 ? a : c).append(b("x" + i));
                if (i % 7 == 0) {
                    r.readNew(e -> got.add(s(e)));
                }
            }
            r.readNew(e -> got.add(s(e)));
            List<String> expect = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expect.add("x" + i);
            }
            assertEquals(expect, got);
            assertFalse(logged.list.stream().anyMatch(ev -> ev.getLevel().toString().equals("WARN")));
        }
    }
}
