package forkchat.ipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bell, Signals, SignalDoorbell and ProcessGroup, with real signals and real process groups. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalsTest {

    private static final int SIGUSR1 = jnr.constants.platform.Signal.SIGUSR1.intValue();
    private static final int SIGHUP = jnr.constants.platform.Signal.SIGHUP.intValue();
    private static final Duration STEP = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    // ---- Bell --------------------------------------------------------------------------------

    @Test
    void bellIsLevelTriggeredAndRingsMerge() throws InterruptedException {
        Bell bell = new Bell();
        assertFalse(bell.await(0, TimeUnit.MILLISECONDS));
        bell.ring();
        bell.ring();
        bell.ring();
        assertTrue(bell.await(0, TimeUnit.MILLISECONDS), "a ring before await is kept");
        assertFalse(bell.await(20, TimeUnit.MILLISECONDS), "three rings merged into one");
    }

    @Test
    void bellWakesAWaiterAndRingNeverBlocks() throws Exception {
        Bell bell = new Bell();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 200; i++) {
                CountDownLatch waiting = new CountDownLatch(1);
                Future<Boolean> f = pool.submit(() -> {
                    waiting.countDown();
                    return bell.await(10, TimeUnit.SECONDS);
                });
                waiting.await();
                bell.ring();
                assertTrue(f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bellWorksForVirtualThreadsAndManyRingers() throws Exception {
        Bell bell = new Bell();
        int rounds = 2000;
        java.util.concurrent.atomic.AtomicInteger wakeups = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch woken = new java.util.concurrent.CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                while (bell.await(5, TimeUnit.SECONDS)) {
                    wakeups.incrementAndGet();
                    woken.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Thread> ringers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ringers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    bell.ring();
                }
            }));
        }
        for (Thread r : ringers) {
            assertTrue(r.join(Duration.ofSeconds(10)), "ring() never blocks");
        }
        // The waiter may not have run at all yet: the rings it has not seen are still pending
        // (level-triggered), so it must wake once before it is told to stop.
        assertTrue(woken.await(10, TimeUnit.SECONDS), "the waiter woke for the rings");
        waiter.interrupt();
        assertTrue(waiter.join(Duration.ofSeconds(10)));
        assertTrue(wakeups.get() >= 1 && wakeups.get() <= 4 * rounds, "wakeups " + wakeups.get());
    }

    @Test
    void bellAwaitHonoursInterruptAndTimeout() throws Exception {
        Bell bell = new Bell();
        long t0 = System.nanoTime();
        assertFalse(bell.await(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> bell.await(1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    // ---- signals in this JVM -------------------------------------------------------------------

    @Test
    void usr1HandlerRingsTheBellThenIgnoreMakesItHarmless() throws InterruptedException {
        Bell bell = new Bell();
        Signals.onUsr1(bell);
        try {
            assertTrue(ProcessGroup.kill(ProcessGroup.pid(), SIGUSR1));
            assertTrue(bell.await(10, TimeUnit.SECONDS), "SIGUSR1 rang the bell");
        } finally {
            Signals.ignoreUsr1();
        }
        assertTrue(ProcessGroup.kill(ProcessGroup.pid(), SIGUSR1));
        // Ignored: this JVM is still here, and the old handler no longer runs.
        assertFalse(bell.await(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void namedHandlersAndIgnore() throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        Signals.on("HUP", first::countDown);
        try {
            assertTrue(ProcessGroup.kill(ProcessGroup.pid(), SIGHUP));
            assertTrue(first.await(10, TimeUnit.SECONDS));
            Signals.on("SIGHUP", () -> {
                second.countDown();
                throw new IllegalStateException("a failing action is logged, not fatal");
            });
            assertTrue(ProcessGroup.kill(ProcessGroup.pid(), SIGHUP));
            assertTrue(second.await(10, TimeUnit.SECONDS));
        } finally {
            Signals.ignore("HUP");
        }
        assertTrue(ProcessGroup.kill(ProcessGroup.pid(), SIGHUP), "ignored: still alive");
        assertThrows(IllegalArgumentException.class, () -> Signals.on("NOSUCHSIGNAL", () -> { }));
        assertThrows(IllegalArgumentException.class, () -> Signals.on("QUIT", () -> { }), "QUIT belongs to the VM");
    }

    // ---- ProcessGroup in this JVM ---------------------------------------------------------------

    @Test
    void processGroupBasics() throws Exception {
        assertEquals(ProcessHandle.current().pid(), ProcessGroup.pid());
        Path f = Files.createFile(dir.resolve("owned"));
        assertEquals(Files.getAttribute(f, "unix:uid"), ProcessGroup.uid());
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Integer.parseInt(fields[2]), ProcessGroup.current(), "pgrp from /proc/self/stat");

        assertTrue(ProcessGroup.kill(ProcessGroup.pid(), 0));
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        assertFalse(ProcessGroup.kill((int) gone.pid(), 0), "ESRCH -> false");
        assertThrows(IllegalArgumentException.class, () -> ProcessGroup.kill(0, 15));
        assertThrows(IllegalArgumentException.class, () -> ProcessGroup.kill(-1, 15));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProcessGroup.kill(ProcessGroup.pid(), 12345));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SignalDoorbell(1));
        assertThrows(IllegalArgumentException.class, () -> new SignalDoorbell(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessGroup.join(0));
        assertThrows(IllegalStateException.class, () -> ProcessGroup.join(Integer.MAX_VALUE - 7),
                "no such group in our session");
        // a doorbell to a group that does not exist is quiet
        new SignalDoorbell(Integer.MAX_VALUE - 7).ring();
    }

    // ---- real process groups -----------------------------------------------------------------

    @Test
    void doorbellReachesEveryProcessOfTheGroupAndMergedRingsLoseNothing() throws Exception {
        Path logDir = dir.resolve("log");
        int readers = 3;
        int records = 200;
        int myGroup = ProcessGroup.current();
        List<ChildJvm> children = new ArrayList<>();
        try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
            ChildJvm leader = ChildJvm.start(Children.BellReader.class, logDir.toString(), String.valueOf(records), "lead");
            children.add(leader);
            Matcher m = Pattern.compile("READY (\\d+) 0").matcher(leader.expect("READY", STEP));
            assertTrue(m.matches());
            int pgid = Integer.parseInt(m.group(1));
            assertEquals(leader.pid(), pgid, "the leader's group is its pid");
            assertNotEquals(myGroup, pgid);
            for (int i = 1; i < readers; i++) {
                children.add(ChildJvm.start(Children.BellReader.class, logDir.toString(), String.valueOf(records),
                        String.valueOf(pgid)));
            }
            for (int i = 1; i < readers; i++) {
                assertEquals("READY " + pgid + " 0", children.get(i).expect("READY", STEP), "joined the group");
            }
            assertEquals(myGroup, ProcessGroup.current(), "the test JVM is not in the rung group");
            assertNotEquals(pgid, myGroup);

            // Bursts of 50 appends, each followed by a ring; a burst starts only when every reader
            // has reported the previous one, so each burst's rings alone must carry it.
            SignalDoorbell doorbell = new SignalDoorbell(pgid);
            for (int burst = 1; burst <= records / 50; burst++) {
                for (int i = (burst - 1) * 50; i < burst * 50; i++) {
                    log.append(("m" + i).getBytes(StandardCharsets.UTF_8));
                    doorbell.ring();
                }
                for (ChildJvm c : children) {
                    assertEquals("AT " + burst * 50, c.expect("AT", STEP));
                }
            }
            for (ChildJvm c : children) {
                String seen = c.expect("SEEN", STEP);
                Matcher s = Pattern.compile("SEEN (\\d+) rings=(\\d+) timeouts=(\\d+)").matcher(seen);
                assertTrue(s.matches(), seen);
                assertEquals(records, Integer.parseInt(s.group(1)), seen);
                assertEquals(0, Integer.parseInt(s.group(3)), "rings alone drove the reader: " + seen);
                assertTrue(Integer.parseInt(s.group(2)) >= records / 50, seen);
                assertEquals(0, c.exitCode(STEP), c.stderr());
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
    }

    @Test
    void aJvmStartedWithUsr1BlockedTakesRingsAndItsOwnWakeUpsInOneWait() throws Exception {
        Path env = Path.of("/usr/bin/env");
        assumeTrue(Files.isExecutable(env));
        List<String> cmd = new ArrayList<>(List.of(env.toString(), "--block-signal=USR1"));
        cmd.addAll(ChildJvm.command(Children.Usr1Waiter.class));
        try (ChildJvm child = ChildJvm.start(cmd)) {
            String first = child.nextLine(STEP);
            assumeTrue(first != null && !first.contains("unrecognized"), "this env cannot block signals: " + first);
            assertEquals("WAITER true", first);
            for (int n = 1; n <= 3; n++) {
                assertTrue(ProcessGroup.kill((int) child.pid(), SIGUSR1));
                // no JDK handler thread was started for it: the one sigtimedwait thread took it
                assertEquals("RUNG " + n + " threads=0", child.expect("RUNG " + n, STEP));
            }
            // a ring from inside the process (the reader's, the outbox's) reaches the same wait
            assertEquals("SELF", child.expect("SELF", STEP));
            assertEquals(0, child.exitCode(STEP));
        }
        // without the blocked signal it declines, and the JDK's handler is the way
        try (ChildJvm child = ChildJvm.start(Children.Usr1Waiter.class)) {
            assertEquals("WAITER false", child.expect("WAITER", STEP));
        }
    }

    @Test
    void ignoringUsr1BeforeSpawningProtectsChildrenFromEarlyRings() throws Exception {
        Path env = Path.of("/usr/bin/env");
        Signals.ignoreUsr1();
        // inherited SIG_IGN: the child has no handler, yet a ring does not kill it
        try (ChildJvm child = ChildJvm.start(Children.Sleeper.class)) {
            child.expect("READY", STEP);
            assertTrue(ProcessGroup.kill((int) child.pid(), SIGUSR1));
            child.send("still here");
            assertEquals("BYE still here", child.expect("BYE", STEP));
            assertEquals(0, child.exitCode(STEP));
        }
        // control: the same child with SIGUSR1 back at its default dies of it
        assumeTrue(Files.isExecutable(env));
        List<String> cmd = new ArrayList<>(List.of(env.toString(), "--default-signal=USR1"));
        cmd.addAll(ChildJvm.command(Children.Sleeper.class));
        try (ChildJvm child = ChildJvm.start(cmd)) {
            child.expect("READY", STEP);
            assertTrue(ProcessGroup.kill((int) child.pid(), SIGUSR1));
            assertEquals(128 + SIGUSR1, child.exitCode(STEP), "default action of SIGUSR1 terminates");
        }
    }
}
