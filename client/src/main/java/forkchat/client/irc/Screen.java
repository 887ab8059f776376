package forkchat.client.irc;

/**
 * Where a session's output goes: the terminal UI, the {@code tail} printer, or a test's list.
 * Called with the session's lock held, so an implementation must not call back into the session
 * and must not block for long.
 */
public interface Screen {

    /** Shows one line. */
    void show(Line line);

    /** The nick, the current target or the connection state changed (the prompt shows them). */
    default void status(Status status) {
    }

    /**
     * What the prompt shows.
     *
     * @param nick   the nick in use (or wanted, while not registered)
     * @param target where plain text goes: a channel, a nick, or null
     * @param online registered with a server right now
     * @param away   marked away
     */
    record Status(String nick, String target, boolean online, boolean away) {
    }
}
