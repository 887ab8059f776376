package forkchat.chat;

/** Who may register which nick (the {@code auth} setting). */
public enum AuthMode {

    /** Any free nick, no password (PASS is accepted and ignored). */
    OPEN,

    /**
     * The nick is an account name: registration completes only once the client proved, with SASL
     * PLAIN or PASS, that it owns the account of that name. Private messages to an offline
     * account are kept, and what the account missed is delivered when it next connects.
     */
    ACCOUNTS
}
