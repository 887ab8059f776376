package forkchat.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcFsTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void schedstatsFirstFieldIsRuntimeInNanoseconds() {
        assertEquals(137046123456L, ProcFs.parseSchedstatRuntime("137046123456 742203 2\n"));
    }

    @Test
    void pssComesFromItsLineInKilobytes() {
        String rollup = """
                55a0c0a00000-7ffd0f5e9000 ---p 00000000 00:00 0                          [rollup]
                Rss:               65432 kB
                Pss:               41234 kB
                Pss_Anon:          30000 kB
                """;
        assertEquals(41234, ProcFs.parsePssKb(rollup));
        assertEquals(0, ProcFs.parsePssKb("Rss: 1 kB\n"));
    }

    @Test
    void statFieldsAreCountedAfterACommandNameWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        String stat = "4242 (java (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 1000 200 20 0 30\n";
        String[] f = ProcFs.parseStatFields(stat);
        assertEquals("S", f[0]);
        assertEquals(4242, ProcFs.statProcessGroup(f));
        assertEquals(300, ProcFs.statOwnTicks(f));
        assertEquals(1200, ProcFs.statReapedTicks(f));
    }

    @Test
    void thisProcessHasThreadsWithRuntimeAndMemory() {
        assumeTrue(ProcFs.available(), "needs Linux /proc with schedstat and smaps_rollup");
        List<long[]> threads = ProcFs.threadRuntimes(SELF);
        assertTrue(threads.size() >= 2, "a JVM has several threads");
        assertTrue(threads.stream().mapToLong(t -> t[1]).sum() > 0);
        assertTrue(ProcFs.pssKb(SELF) > 1024, "a JVM's PSS is more than a megabyte");
        assertEquals(threads.size(), ProcFs.threadCount(SELF), 5.0);
        assertTrue(ProcFs.tree(SELF).contains(SELF));
    }

    @Test
    void aProcessThatIsGoneReadsAsNothing() {
        long gone = Long.MAX_VALUE / 2;
        assertEquals(0, ProcFs.pssKb(gone));
        assertTrue(ProcFs.threadRuntimes(gone).isEmpty());
        assertEquals(-1, ProcFs.processGroup(gone));
        assertTrue(ProcFs.tree(gone).isEmpty());
    }

    @Test
    void theTreeClockCountsWorkAndKeepsWhatAThreadDidAfterItEnds() throws Exception {
        assumeTrue(ProcFs.available(), "needs Linux /proc with schedstat");
        TreeCpuClock clock = new TreeCpuClock(() -> List.of(SELF));
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread busy = Thread.ofPlatform().start(() -> {
            spin(100);
            spun.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long before = clock.nanos();
        assertTrue(spun.await(10, TimeUnit.SECONDS));
        long whileAlive = clock.nanos();
        assertTrue(whileAlive - before >= TimeUnit.MILLISECONDS.toNanos(50),
                "100 ms of spinning shows: " + (whileAlive - before) + " ns");
        release.countDown();
        busy.join(10_000);
        assertFalse(busy.isAlive());
        long afterExit = clock.nanos();
        assertTrue(afterExit >= whileAlive, "a thread's time stays counted after it ends");
        assertEquals("schedstat", clock.source());
    }

    @Test
    void ticksTurnIntoPercentOfOneCore() {
        // 50 ticks (500 ms) of CPU in 1 s of wall time
        assertEquals(50.0, TickCheck.percent(100, 150, 1_000_000_000L), 1e-9);
        assertTrue(Double.isNaN(TickCheck.percent(0, 1, 0)));
    }

    @Test
    void durationsAsTheCommandLineWritesThem() {
        assertEquals(java.time.Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(java.time.Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(java.time.Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(java.time.Duration.ofSeconds(5), Durations.parse("5"));
        assertEquals("20s", Durations.format(Durations.parse("20s")));
        assertEquals("1500ms", Durations.format(Durations.parse("1.5s")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
        assertArrayEquals(new int[] {0, 1}, new int[] {Workload.FANOUT.deliveriesPerMessage(1),
                Workload.FANOUT.deliveriesPerMessage(2)});
    }

    private static void spin(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.identityHashCode(new Object());
        }
        if (x == 42) {
            System.out.print("");
        }
    }
}
