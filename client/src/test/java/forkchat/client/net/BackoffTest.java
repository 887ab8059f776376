package forkchat.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A generator that always picks 0: no jitter. */
    private static final RandomGenerator NO_JITTER = () -> 0L;

    @Test
    void doublesUpToTheMaximumAndResets() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), NO_JITTER);
        assertEquals(Duration.ofSeconds(1), b.next());
        assertEquals(Duration.ofSeconds(2), b.next());
        assertEquals(Duration.ofSeconds(4), b.next());
        assertEquals(Duration.ofSeconds(8), b.next());
        assertEquals(Duration.ofSeconds(10), b.next());
        assertEquals(Duration.ofSeconds(10), b.next());
        b.reset();
        assertEquals(Duration.ofSeconds(1), b.next());
    }

    @Test
    void jitterAddsAtMostAFifth() {
        Backoff b = Backoff.standard();
        for (int i = 0; i < 10; i++) {
            Duration d = b.next();
            long base = Math.min(60_000, 1000L << i);
            assertTrue(d.toMillis() >= base && d.toMillis() <= Math.min(60_000, base + base / 5), i + ": " + d);
        }
    }

    @Test
    void noneNeverRetries() {
        assertNull(Backoff.none().next());
    }
}
