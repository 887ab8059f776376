package forkchat.ipc;

import static forkchat.ipc.MessageLogTest.b;
import static forkchat.ipc.MessageLogTest.flipByte;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The read-only walk behind {@code forkchatd log verify | dump}, on real files. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogScanTest {

    @TempDir
    Path dir;

    /** What a walk saw, in order: "r:OFFSET" per record, "c:OFFSET+LEN" per corrupt stretch, "t:..." for the tail. */
    static List<String> walk(Path file, List<LogScan.Result> result) throws IOException {
        List<String> seen = new ArrayList<>();
        result.add(LogScan.read(file, new LogScan.Visitor() {
            @Override
            public void record(LogEntry entry) {
                seen.add("r:" + entry.offset());
            }

            @Override
            public void damage(LogRecovery.Damage d, boolean tail) {
                seen.add((tail ? "t:" : "c:") + d.offset() + "+" + d.length());
            }
        }));
        return seen;
    }

    private List<Long> write(Path logDir, int n) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < n; i++) {
                offsets.add(log.append(b("record " + i)));
            }
        }
        return offsets;
    }

    @Test
    void aCleanLogIsEveryRecordWithItsTimes() throws IOException {
        Path logDir = dir.resolve("log");
        Path file = LogSegments.path(logDir, 0);
        long before = System.currentTimeMillis();
        List<Long> offsets = write(logDir, 5);
        long after = System.currentTimeMillis();
        List<LogScan.Result> r = new ArrayList<>();
        List<String> seen = walk(logDir, r);
        assertEquals(offsets.stream().map(o -> "r:" + o).toList(), seen);
        LogScan.Result result = r.get(0);
        assertTrue(result.clean());
        assertEquals(5, result.records());
        assertEquals(Files.size(file), result.size());
        assertEquals(Files.size(file), result.validEnd());
        assertEquals(0, result.start());
        assertEquals(Files.size(file), result.end());
        assertEquals(1, result.segments());
        assertTrue(result.firstTime() >= before && result.lastTime() <= after && result.firstTime() <= result.lastTime());
    }

    @Test
    void aTornTailIsReportedAndLeftAlone() throws IOException {
        Path logDir = dir.resolve("log");
        Path file = LogSegments.path(logDir, 0);
        write(logDir, 3);
        long whole = Files.size(file);
        Files.write(file, new byte[] {0x46, 0x4B, 0x43, 0x31, 0, 0, 0, 9}, StandardOpenOption.APPEND);
        byte[] bytes = Files.readAllBytes(file);
        List<LogScan.Result> r = new ArrayList<>();
        List<String> seen = walk(logDir, r);
        assertEquals("t:" + whole + "+8", seen.get(seen.size() - 1));
        LogScan.Result result = r.get(0);
        assertFalse(result.clean());
        assertEquals(3, result.records());
        assertEquals(new LogRecovery.Damage(whole, 8, "header cut at 8 bytes"), result.tornTail());
        assertArrayEquals(bytes, Files.readAllBytes(file), "a read-only walk changes nothing");
    }

    @Test
    void aCorruptMiddleRecordIsReportedWithItsOffsetAndTheRestIsRead() throws IOException {
        Path logDir = dir.resolve("log");
        List<Long> offsets = write(logDir, 4);
        flipByte(LogSegments.path(logDir, 0), offsets.get(1) + 22);
        List<LogScan.Result> r = new ArrayList<>();
        List<String> seen = walk(logDir, r);
        long len = offsets.get(2) - offsets.get(1);
        assertEquals(List.of("r:" + offsets.get(0), "c:" + offsets.get(1) + "+" + len, "r:" + offsets.get(2),
                "r:" + offsets.get(3)), seen);
        LogScan.Result result = r.get(0);
        assertEquals(3, result.records());
        assertNull(result.tornTail());
        assertEquals(1, result.corrupt().size());
        assertTrue(result.corrupt().get(0).reason().startsWith("CRC32C"), result.corrupt().get(0).reason());
    }

    @Test
    void aWalkOverManyBatchesWhileAWriterAppendsSeesAConsistentPrefix() throws Exception {
        Path logDir = dir.resolve("log");
        byte[] payload = new byte[60_000];
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < 40; i++) { // 2.4 MB: three batches
                log.append(payload);
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        log.append(b("late " + i));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            List<LogScan.Result> r = new ArrayList<>();
            walk(logDir, r);
            writer.join(20_000);
            LogScan.Result result = r.get(0);
            assertTrue(result.clean(), result.toString());
            assertTrue(result.records() >= 40, result.toString());
            assertEquals(result.size(), result.validEnd());
        }
    }

    @Test
    void aMissingLogIsAnErrorAndIsNotCreated() {
        Path missing = dir.resolve("nope");
        IOException e = assertThrows(IOException.class, () -> LogScan.read(missing, entry -> { }));
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @Test
    void aSingleFileIsWalkedAsTheNewestSegment() throws IOException {
        // the single-file log of an older forkchat: same records, base 0, torn tail reported as such
        Path logDir = dir.resolve("log");
        List<Long> offsets = write(logDir, 3);
        Path legacy = dir.resolve(LogSegments.LEGACY_FILE);
        Files.copy(LogSegments.path(logDir, 0), legacy);
        long whole = Files.size(legacy);
        Files.write(legacy, new byte[] {0x46, 0x4B, 0x43, 0x31}, StandardOpenOption.APPEND);
        List<LogScan.Result> r = new ArrayList<>();
        List<String> seen = walk(legacy, r);
        assertEquals(List.of("r:" + offsets.get(0), "r:" + offsets.get(1), "r:" + offsets.get(2), "t:" + whole + "+4"),
                seen);
        assertEquals(1, r.get(0).segments());
        assertEquals(0, r.get(0).start());
        // a segment file on its own is walked at the offsets its name gives
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER, 64)) {
            log.append(b("in the second segment"));
        }
        long second = LogSegments.bases(logDir)[1];
        r.clear();
        assertEquals(List.of("r:" + second), walk(LogSegments.path(logDir, second), r));
        assertEquals(second, r.get(0).start());
        assertTrue(r.get(0).clean());
    }
}
