package forkchat.chat;

import java.util.Arrays;

import static forkchat.chat.Numerics.*;

/**
 * Who the client is, in the {@link AuthMode#ACCOUNTS} mode: checks a password against the
 * {@link Accounts} store (for SASL PLAIN, and for PASS when registration completes), keeps the
 * PASS password only until then, and decides whether registration may go ahead.
 *
 * <p>Rules: registration completes only when the client is authenticated as the nick it
 * registers (compared with {@link Names#same}). A client with no credentials, or with a wrong
 * PASS, is refused with 464 (904 when its SASL attempt failed and it went on without one), an
 * {@code ERROR} line and the end of the connection. A SASL account that is not the nick gets 432
 * and may send another NICK. Every failed check is reported to the observer; after
 * {@value #MAX_FAILURES} on one connection the session ends, so one connection cannot burn
 * unbounded CPU on password derivations.
 *
 * <p>The PASS password is kept as a {@code char[]} and wiped once checked or when the session
 * ends. (The IRC line it came in is a String the session cannot wipe; it is garbage at once.)
 */
final class Login {

    /** Failed logins one connection may make before it is closed. */
    static final int MAX_FAILURES = 3;

    /** Longest account name reported for a failed login (it is whatever the client sent). */
    static final int SHOWN_MAX = 64;

    /** What a login on a connection without TLS is told (login_requires_tls). */
    static final String TLS_REQUIRED = "Logins need TLS on this server: connect to its TLS port";

    private final SessionContext s;
    private char[] pass;
    private int failures;
    private boolean saslFailed;

    Login(SessionContext s) {
        this.s = s;
        s.onEnd(this::forgetPass);
    }

    /** PASS before registration: kept until the nick is known (the last PASS wins). */
    void pass(String password) {
        forgetPass();
        pass = password.toCharArray();
    }

    /** A SASL exchange failed or was aborted (for the numeric a refused registration gets). */
    void saslFailed() {
        saslFailed = true;
    }

    /**
     * Checks {@code password} against {@code account}'s stored hash; on success the session is
     * authenticated as {@code account}. Wipes {@code password} either way. Returns whether it matched.
     */
    boolean check(String account, char[] password) {
        try {
            String stored = account == null ? null : s.accounts.hashOf(account);
            // Always one derivation, so that an unknown name takes as long as a wrong password.
            if (PasswordHash.verify(password, stored) && stored != null && Names.isValidNick(account)) {
                s.account = account;
                s.tell(o -> o.authenticated(account));
                return true;
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        failed(account);
        return false;
    }

    /**
     * A failed login (also one that failed before any password check: a SASL payload that does
     * not decode). The observer and the log get the name made printable: it is client input.
     */
    void failed(String account) {
        failures++;
        String shown = printable(account);
        SessionContext.LOG.info("session {}: authentication failed for {} from {}", s.id,
                shown == null ? "(none)" : shown, s.host);
        s.tell(o -> o.authenticationFailed(shown));
    }

    /** At most {@value #SHOWN_MAX} characters, control characters as '?'; null stays null. */
    static String printable(String name) {
        if (name == null) {
            return null;
        }
        String cut = name.length() > SHOWN_MAX ? name.substring(0, SHOWN_MAX) : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Whether this connection has used up its attempts. */
    boolean exhausted() {
        return failures >= MAX_FAILURES;
    }

    /** Ends the session because of too many failures. */
    void closeExhausted() {
        String reason = "Too many failed authentication attempts";
        s.end(s.closingLink(reason), null, reason);
    }

    /**
     * Whether registration as {@code s.nick} may go ahead now; when not, the client has been told
     * (and, for a missing or wrong password, the session has ended).
     */
    boolean admits() {
        if (!s.accountsMode()) {
            return true;
        }
        if (!s.loginAllowed) {
            // Not even checked: a plain-text connection must not learn whether a password is right.
            refuse(ERR_PASSWDMISMATCH, TLS_REQUIRED, "TLS required");
            return false;
        }
        if (s.account == null) {
            if (pass != null) {
                char[] password = pass;
                pass = null;
                if (!check(s.nick, password)) {
                    refuse(ERR_PASSWDMISMATCH, "Password incorrect", "Bad password");
                    return false;
                }
            } else if (saslFailed) {
                refuse(ERR_SASLFAIL, "SASL authentication failed", "Authentication required");
                return false;
            } else {
                refuse(ERR_PASSWDMISMATCH, "Password required: this server uses accounts (SASL PLAIN or PASS)",
                        "Authentication required");
                return false;
            }
        }
        if (!Names.same(s.account, s.nick)) {
            s.numeric(ERR_ERRONEUSNICKNAME, s.nick, accountNickText());
            s.nick = null;
            return false;
        }
        forgetPass();
        return true;
    }

    /** Whether {@code nick} may be taken (before or after registration) by this session. */
    boolean allowsNick(String nick) {
        return !s.accountsMode() || s.account == null || Names.same(s.account, nick);
    }

    /** The text of the 432 that refuses a nick other than the account's. */
    String accountNickText() {
        return "Nickname must be your account name (" + s.account + ")";
    }

    private void refuse(String code, String text, String reason) {
        s.numeric(code, text);
        s.end(s.closingLink(reason), null, reason);
    }

    private void forgetPass() {
        if (pass != null) {
            Arrays.fill(pass, '\0');
            pass = null;
        }
    }
}
