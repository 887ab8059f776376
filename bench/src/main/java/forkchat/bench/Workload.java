package forkchat.bench;

/**
 * What the bench clients do once registered.
 *
 * <ul>
 *   <li>{@code fanout}: everyone is in {@code #bench}, so every message is delivered to every
 *       other client (N − 1 deliveries per message): a chat room under load.</li>
 *   <li>{@code ingest}: each client is alone in a channel of its own, so messages are received,
 *       stored and announced but delivered to nobody: the paper's workload (its servers read
 *       and discarded).</li>
 * </ul>
 */
enum Workload {
    FANOUT, INGEST;

    /** The channel client {@code index} joins. */
    String channel(int index) {
        return this == FANOUT ? "#bench" : "#bench" + index;
    }

    /** Deliveries one message should make among {@code clients} clients (no echo to the sender). */
    int deliveriesPerMessage(int clients) {
        return this == FANOUT ? clients - 1 : 0;
    }

    static Workload parse(String text) {
        return valueOf(text.strip().toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
