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

    /** The client proved it owns {@code account} (SASL PLAIN, or PASS at registration). */
    default void authenticated(String account) {
    }

    /**
     * A login failed: a wrong password, an unknown account, a SASL payload that does not decode
     * ({@code account} null then). {@code account} is the name the client gave, cut to 64
     * characters with control characters replaced by '?'. Called once per attempt, after the password check, so the host
     * can slow the address down and refuse it for a while. After
     * three failures on one connection the session ends by itself.
     */
    default void authenticationFailed(String account) {
    }

    /**
     * The session ended but its Quit could not be appended (the log refused the write: disk full,
     * an I/O error). Every other client still sees {@code session} present until a Quit for it is
     * stored, so the host must see that one is (forkchatd's supervisor retries until the log takes
     * it). Called before {@link #ended}.
     */
    default void quitNotStored(String session, String reason) {
    }

    /** The session ended (after its Quit was appended, if it was registered). */
    default void ended(String reason) {
    }
}
