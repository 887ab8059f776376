package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Quits the log refused are kept and written, in order, once it takes them again. */
class LostQuitsTest {

    @Test
    void aRefusedQuitIsRetriedInOrderUntilTheLogTakesIt() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        List<String> stored = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        try (LostQuits quits = new LostQuits(e -> {
            if (full.get()) {
                return false;
            }
            stored.add(((Event.Quit) e).session());
            both.countDown();
            return true;
        })) {
            quits.add(new Event.Quit("c1", "gone"));
            quits.add(new Event.Quit("c2", "gone too"));
            assertEquals(2, quits.pending());
            assertEquals(List.of(), stored);
            full.set(false); // space returns
            assertTrue(both.await(10, TimeUnit.SECONDS), "retried within the retry period");
            assertEquals(List.of("c1", "c2"), stored);
            assertEquals(0, quits.pending());
            quits.add(new Event.Quit("c3", "now"));
            assertEquals(List.of("c1", "c2", "c3"), stored, "written at once when nothing waits");
        }
    }
}
