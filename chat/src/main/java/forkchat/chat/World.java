package forkchat.chat;

/**
 * The fold of the log: who is online (session → nick, user, host, away), which channels exist,
 * their members and topics. Reset by ServerStart. Pure data; no I/O. One instance per session.
 * CONTRACT ONLY: implemented by the chat work (public query methods as the session needs).
 */
public final class World {

    /** Folds one entry into the state. Unknown sessions and duplicate quits are ignored. */
    public void apply(Entry entry) {
        throw new UnsupportedOperationException("contract");
    }

    /** Whether a registered session holds {@code nick} (case-insensitively, {@link Names#fold}). */
    public boolean nickInUse(String nick) {
        throw new UnsupportedOperationException("contract");
    }

    /** The current nick of a session, or null if not online. */
    public String nickOf(String session) {
        throw new UnsupportedOperationException("contract");
    }
}
