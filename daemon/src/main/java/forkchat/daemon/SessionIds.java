package forkchat.daemon;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Names each connection's session in the log: {@code c<n>.<run>}, where {@code run} is the offset
 * of this daemon run's server-start record (base 36). Presence is folded from that record on, so
 * ids need only be unique within a run; the run part keeps a previous run's straggler (a worker
 * orphaned by a killed supervisor appending its Quit after a fast restart) from ending the new
 * run's session that happens to have the same number.
 */
final class SessionIds {

    private final String run;
    private final AtomicLong next = new AtomicLong();

    /** @param serverStart offset of this run's server-start record in the log */
    SessionIds(long serverStart) {
        this.run = Long.toString(serverStart, 36);
    }

    String next() {
        return "c" + next.incrementAndGet() + "." + run;
    }
}
