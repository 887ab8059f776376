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

/** The log shared by real processes: concurrent appenders, and writes that hit a file size limit. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogProcessesTest {

    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void concurrentAppendersInSeparateJvmsNeverTearOrLoseARecord() throws Exception {
        Path file = dir.resolve("messages.log");
        int writers = 4;
        int each = 500;
        List<ChildJvm> children = new ArrayList<>();
        try (MessageLog reader = MessageLog.open(file, Durability.NEVER)) {
            for (int w = 0; w < writers; w++) {
                children.add(ChildJvm.start(Children.Appender.class, file.toString(), String.valueOf(each), "w" + w));
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
        LogRecovery.Report report = LogRecovery.recover(file);
        assertEquals(new LogRecovery.Report(writers * each, Files.size(file), 0, List.of()), report);
    }

    @Test
    void appendThatHitsTheFileSizeLimitFailsAndLeavesNoHalfRecord() throws Exception {
        Path file = dir.resolve("small.log");
        try (ChildJvm child = ChildJvm.start(Children.FsizeAppender.class, file.toString())) {
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
        assertEquals(new LogRecovery.Report(8, 8192, 0, List.of()), LogRecovery.recover(file));
    }
}
