package forkchat.bench;

/**
 * The CPU time used so far by everything the server under test is made of, in nanoseconds:
 * read it twice and the difference is what the server spent in between. Implementations must
 * have nanosecond resolution (not the kernel's 10 ms ticks) and must count every process of
 * the server, including those that exit.
 */
interface CpuClock {

    /** CPU time used so far, in nanoseconds; only differences are meaningful. */
    long nanos();

    /** A short name for the CSV: where the figure comes from. */
    String source();
}
