package forkchat.chat;

/** What a session reports about itself to whoever hosts it (the worker tells the supervisor). */
public interface SessionObserver {

    SessionObserver NONE = new SessionObserver() {
    };

    /** The session registered (its Connect event was delivered back to it). */
    default void registered(String nick) {
    }

    /** Its nick changed after registration. */
    default void nickChanged(String nick) {
    }

    /** The session ended (after its Quit was appended, if it was registered). */
    default void ended(String reason) {
    }
}
