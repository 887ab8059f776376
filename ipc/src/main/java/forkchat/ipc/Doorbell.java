package forkchat.ipc;

/** The sending end: tells every reader of the log that there is something new to read. */
public interface Doorbell {
    /** Rings every reader. Never blocks for long and never throws for a delivery problem. */
    void ring();

    /**
     * Rings the readers listening for {@code key} (a folded channel name) and the ringer itself;
     * {@code null} means everyone. A doorbell that cannot tell its readers apart rings everyone.
     */
    default void ring(String key) {
        ring();
    }

    /**
     * From now on, rings for {@code key} reach this process. Called before the record that makes
     * it a listener (a Join) is appended, so that no later record can miss it.
     */
    default void listen(String key) {
    }
}
