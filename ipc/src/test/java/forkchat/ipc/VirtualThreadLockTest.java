package forkchat.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads waiting for the log's lock must not hold their carriers: with more waiters
 * than carriers, other virtual threads still run while a writer holds LOCK_EX.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadLockTest {

    @TempDir
    Path dir;

    @Test
    void virtualThreadsWaitingForTheLockLeaveTheCarriersFree() throws Exception {
        Path logDir = dir.resolve("log");
        int waiters = 4 * Runtime.getRuntime().availableProcessors() + 4;
        try (MessageLog holder = MessageLog.open(logDir, Durability.NEVER)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // Hold LOCK_EX (inside appendIf's decide, which runs under the lock) on a platform thread.
            Thread platform = Thread.ofPlatform().start(() -> {
                try {
                    holder.appendIf(e -> { }, () -> {
                        holding.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                        return "held".getBytes();
                    });
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS));

            List<Thread> blocked = new ArrayList<>();
            CountDownLatch appended = new CountDownLatch(waiters);
            for (int i = 0; i < waiters; i++) {
                blocked.add(Thread.ofVirtual().start(() -> {
                    try (MessageLog log = MessageLog.open(logDir, Durability.NEVER)) {
                        log.append("waited".getBytes());
                        appended.countDown();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            // With every carrier stuck in flock(2) this would never run.
            CountDownLatch ran = new CountDownLatch(1);
            Thread.ofVirtual().start(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "a virtual thread ran while " + waiters + " waited for the lock");
            assertEquals(waiters, appended.getCount(), "nobody appended while the lock was held");

            release.countDown();
            platform.join(10_000);
            assertTrue(appended.await(20, TimeUnit.SECONDS), "every waiter appended once the lock was free");
            for (Thread t : blocked) {
                t.join(5_000);
            }
        }
    }
}
