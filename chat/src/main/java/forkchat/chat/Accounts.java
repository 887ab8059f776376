package forkchat.chat;

/**
 * The account store as the session sees it, implemented by the host (the worker backs it with a
 * file in the state directory). In {@link AuthMode#ACCOUNTS} mode the account name is the nick:
 * a session registers only as the account it proved it owns, with SASL PLAIN or PASS.
 *
 * <p>Names are compared the way nicks are ({@link Names#fold}, CASEMAPPING=ascii): the session
 * passes the name as the client typed it, and {@code Alice} and {@code alice} must find the same
 * account. Called from the session's thread; the session may call it for every private message
 * to an offline nick, so an implementation should answer from memory (re-reading its file when it
 * changes, say) rather than from disk each time.
 */
public interface Accounts {

    /** No accounts at all (the {@link AuthMode#OPEN} mode, or a host without a store). */
    Accounts NONE = account -> null;

    /**
     * The stored {@link PasswordHash} string of {@code account}, or null when there is no such
     * account. {@code account} is whatever the client typed (not necessarily a valid nick).
     */
    String hashOf(String account);

    /** Whether {@code account} exists. */
    default boolean exists(String account) {
        return hashOf(account) != null;
    }
}
