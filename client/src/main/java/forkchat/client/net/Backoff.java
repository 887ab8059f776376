package forkchat.client.net;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before connecting again: {@link #FIRST} after the first failure, doubling up
 * to {@link #MAX}, with up to a fifth added at random so that many clients of a restarted server
 * do not all come back in the same second. A connection that gets registered resets it.
 * {@link #none()} never retries (for {@code forkchat send}).
 */
public final class Backoff {

    /** The first wait. */
    public static final Duration FIRST = Duration.ofSeconds(1);

    /** The longest wait. */
    public static final Duration MAX = Duration.ofSeconds(60);

    private final Duration first;
    private final Duration max;
    private final RandomGenerator random;
    private final boolean retry;
    private int failures;

    public Backoff(Duration first, Duration max, RandomGenerator random) {
        this(first, max, random, true);
    }

    private Backoff(Duration first, Duration max, RandomGenerator random, boolean retry) {
        this.first = first;
        this.max = max;
        this.random = random;
        this.retry = retry;
    }

    /** The client's usual backoff: 1 s, 2 s, 4 s ... 60 s, with jitter. */
    public static Backoff standard() {
        return new Backoff(FIRST, MAX, RandomGenerator.getDefault());
    }

    /** Gives up at the first failure. */
    public static Backoff none() {
        return new Backoff(FIRST, MAX, RandomGenerator.getDefault(), false);
    }

    /** The wait before the next attempt, or null to give up. */
    public Duration next() {
        if (!retry) {
            return null;
        }
        long base = first.toMillis() << Math.min(failures, 20);
        base = Math.min(base, max.toMillis());
        failures++;
        long jitter = base / 5 == 0 ? 0 : random.nextLong(base / 5 + 1);
        return Duration.ofMillis(Math.min(max.toMillis(), base + jitter));
    }

    /** A connection worked: start again from {@link #FIRST}. */
    public void reset() {
        failures = 0;
    }
}
