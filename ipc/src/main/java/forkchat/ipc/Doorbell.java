package forkchat.ipc;

/** The sending end: tells every reader of the log that there is something new to read. */
public interface Doorbell {
    /** Rings every reader. Never blocks for long and never throws for a delivery problem. */
    void ring();
}
