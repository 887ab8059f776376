package forkchat.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocalDoorbellTest {

    @TempDir
    Path dir;

    @Test
    void aRingWakesEveryRegisteredBellAndAClosedRegistrationNoMore() throws Exception {
        LocalDoorbell doorbell = new LocalDoorbell();
        Bell a = new Bell();
        Bell b = new Bell();
        AutoCloseable ra = doorbell.register(a::ring);
        doorbell.register(b::ring);
        doorbell.ring();
        assertTrue(a.await(0, TimeUnit.MILLISECONDS));
        assertTrue(b.await(0, TimeUnit.MILLISECONDS));
        ra.close();
        doorbell.ring();
        assertFalse(a.await(0, TimeUnit.MILLISECONDS));
        assertTrue(b.await(0, TimeUnit.MILLISECONDS));
        assertEquals(1, doorbell.listeners());
    }

    /**
     * Virtual-thread readers each with their own descriptor and cursor, a writer ringing after
     * every append: rings merge, and every reader still sees every record once.
     */
    @Test
    void mergedRingsLoseNoRecordForVirtualThreadReaders() throws Exception {
        Path logDir = dir.resolve("log");
        LocalDoorbell doorbell = new LocalDoorbell();
        int readers = 8;
        int records = 500;
        List<Thread> threads = new ArrayList<>();
        AtomicInteger complete = new AtomicInteger();
        for (int r = 0; r < readers; r++) {
            Bell bell = new Bell();
            doorbell.register(bell::ring);
            threads.add(Thread.ofVirtual().start(() -> {
                try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
                    int[] seen = {0};
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (seen[0] < records && System.nanoTime() < deadline) {
                        bell.await(5, TimeUnit.SECONDS);
                        log.readNew(e -> {
                            if (Integer.parseInt(new String(e.payload())) != seen[0]++) {
                                throw new AssertionError("out of order at " + e.offset());
                            }
                        });
                    }
                    if (seen[0] == records) {
                        complete.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        try (MessageLog writer = MessageLog.open(logDir, Durability.NEVER)) {
            for (int i = 0; i < records; i++) {
                writer.append(Integer.toString(i).getBytes());
                doorbell.ring();
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(40));
        }
        assertEquals(readers, complete.get());
    }
}
