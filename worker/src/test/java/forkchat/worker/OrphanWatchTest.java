package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class OrphanWatchTest {

    private static final long SUPERVISOR = 4242;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aSpareLeavesOnceItsParentIsNoLongerTheSupervisor() throws Exception {
        AtomicLong parent = new AtomicLong(SUPERVISOR);
        CountDownLatch left = new CountDownLatch(1);
        try (OrphanWatch watch = new OrphanWatch(SUPERVISOR, parent::get, left::countDown, Duration.ofMillis(5))) {
            assertTrue(within(() -> watch.looks() >= 5), "the watch looks repeatedly");
            assertEquals(1, left.getCount(), "nobody leaves while the supervisor is its parent");
            parent.set(1); // reparented to init: the supervisor died
            assertTrue(left.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the spare leaves");
            assertTrue(watch.awaitEnd(WAIT), "and the watch ends");
        }
    }

    @Test
    void aConnectedWorkerIsNoLongerWatched() throws Exception {
        AtomicLong parent = new AtomicLong(SUPERVISOR);
        CountDownLatch left = new CountDownLatch(1);
        OrphanWatch watch = new OrphanWatch(SUPERVISOR, parent::get, left::countDown, Duration.ofSeconds(30));
        assertTrue(within(() -> watch.looks() >= 1), "the first look");
        watch.close(); // wakes the watch from its 30 s pause
        assertTrue(watch.awaitEnd(WAIT), "closing ends the watch at once");
        assertEquals(1, left.getCount(), "without leaving: the handoff connection's EOF is the signal from here");
    }

    @Test
    void theRealWatchFindsThisProcesssParent() throws Exception {
        // were the parent misread, the watch would end this JVM (the test run would crash)
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        try (OrphanWatch watch = OrphanWatch.start(parent)) {
            assertTrue(within(() -> watch.looks() >= 3), "three looks");
        }
    }

    private static boolean within(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
