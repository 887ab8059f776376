package forkchat.chat;

/**
 * Flood control by penalty time, the scheme of RFC 1459 section 8.10 and ngIRCd, driven by the
 * session's injected clock. Every line the client sends moves its penalty clock forward by
 * {@link ChatConfig#floodLineCostMillis()} (PING and PONG by a tenth of that, so keepalive stays
 * cheap); the penalty clock never lags behind the real one, so idle time is credit the client
 * can spend at once, up to a burst of {@link ChatConfig#floodBurstLines()} lines.
 *
 * <p>Let the penalty be how far the penalty clock runs ahead of now. Up to the burst window
 * ({@code floodBurstLines × floodLineCostMillis}) the client may send freely; beyond it the
 * session asks its host to wait ({@link #readDelayMillis}) before feeding the next line, which
 * holds a steady client to one line per cost. Lines the host feeds anyway (the rest of one read)
 * still count: when the penalty passes the burst window by more than
 * {@link ChatConfig#floodExcessMillis()} the client is flooding and is disconnected
 * ("Excess Flood"). With the defaults: 10 lines at once, then 2 lines a second; a client that
 * gets more than 20 lines beyond that handled without waiting (the 31st line of one burst) is
 * disconnected. A line cost of 0 turns all of this off.
 */
final class FloodControl {

    /** PING and PONG cost this fraction of a line: a flooder's keepalive is not what hurts. */
    static final int KEEPALIVE_SHARE = 10;

    private final long lineCost;
    private final long window;
    private final long excess;
    /** The penalty clock: when the client will have paid for every line so far. */
    private long paidUntil;

    FloodControl(ChatConfig config) {
        this.lineCost = Math.max(0, config.floodLineCostMillis());
        this.window = lineCost * Math.max(1, config.floodBurstLines());
        this.excess = Math.max(0, config.floodExcessMillis());
    }

    /**
     * Charges one line ({@code command} upper case, or null for a line that did not parse) and
     * returns whether the client is now flooding beyond the excess limit.
     */
    boolean charge(String command, long now) {
        if (lineCost == 0) {
            return false;
        }
        long cost = "PING".equals(command) || "PONG".equals(command) ? lineCost / KEEPALIVE_SHARE : lineCost;
        paidUntil = Math.max(paidUntil, now) + cost;
        return penalty(now) > window + excess;
    }

    /** How long the host should wait before it feeds the next line; 0 when the client may send. */
    long readDelayMillis(long now) {
        return Math.max(0, penalty(now) - window);
    }

    private long penalty(long now) {
        return Math.max(0, paidUntil - now);
    }
}
