package forkchat.chat;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import static forkchat.chat.Numerics.*;

/**
 * The AUTHENTICATE exchange (IRCv3 SASL 3.1/3.2) with the PLAIN mechanism (RFC 4616), in the
 * {@link AuthMode#ACCOUNTS} mode only:
 * <pre>
 *   C: AUTHENTICATE PLAIN          S: AUTHENTICATE +
 *   C: AUTHENTICATE &lt;base64 of authzid NUL authcid NUL password&gt;, in chunks of 400 bytes;
 *      a chunk shorter than 400 ends it, and "+" is the empty final chunk after a full one
 *   S: 900 RPL_LOGGEDIN and 903 RPL_SASLSUCCESS, or 904 ERR_SASLFAIL
 * </pre>
 * {@code AUTHENTICATE *} aborts (906); a chunk over 400 bytes or a payload over
 * {@value #MAX_PAYLOAD} bytes of base64 is 905; another mechanism gets 908 (the list) and 904
 * (not counted as a failed login: no password was tried); once authenticated, 907. The
 * authorization identity must be empty or the account itself.
 *
 * <p>The gathered base64 and the decoded bytes are wiped once the exchange ends. (The IRC lines
 * the chunks came in are Strings the session cannot wipe.)
 */
final class Sasl {

    /** Longest AUTHENTICATE chunk, in bytes of base64. */
    static final int CHUNK = 400;

    /** Longest whole payload, in bytes of base64: room for a 30-byte name twice and a long password. */
    static final int MAX_PAYLOAD = 3 * CHUNK;

    private final SessionContext s;
    private final Login login;
    /** Null when no exchange is under way, else the base64 received so far. */
    private StringBuilder payload;

    Sasl(SessionContext s, Login login) {
        this.s = s;
        this.login = login;
    }

    void authenticate(IrcMessage m) {
        String arg = m.param(0);
        if (s.account != null || s.registered) {
            forgetPayload();
            s.numeric(ERR_SASLALREADY, "You have already authenticated using SASL");
            return;
        }
        if (arg.equals("*")) {
            abort();
            return;
        }
        if (payload == null) {
            start(arg);
        } else {
            chunk(arg);
        }
    }

    private void start(String mechanism) {
        if (!s.loginAllowed) {
            login.saslFailed();
            s.numeric(ERR_SASLFAIL, "SASL authentication failed: " + Login.TLS_REQUIRED);
            return;
        }
        if (!mechanism.toUpperCase(Locale.ROOT).equals(Capabilities.SASL_MECHANISMS)) {
            // Not a failed login (no password was tried): clients may go through their mechanisms.
            login.saslFailed();
            s.numeric(RPL_SASLMECHS, Capabilities.SASL_MECHANISMS, "are available SASL mechanisms");
            s.numeric(ERR_SASLFAIL, "SASL authentication failed");
            return;
        }
        payload = new StringBuilder();
        s.send("AUTHENTICATE +");
    }

    private void chunk(String chunk) {
        if (chunk.length() > CHUNK) {
            tooLong();
            return;
        }
        if (!chunk.equals("+")) {
            if (payload.length() + chunk.length() > MAX_PAYLOAD) {
                tooLong();
                return;
            }
            payload.append(chunk);
            if (chunk.length() == CHUNK) {
                return; // more to come
            }
        }
        String base64 = payload.toString();
        forgetPayload();
        finish(base64);
    }

    private void finish(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            fail(null);
            return;
        }
        try {
            int first = indexOf(decoded, 0);
            int second = first < 0 ? -1 : indexOf(decoded, first + 1);
            if (second < 0 || indexOf(decoded, second + 1) >= 0) {
                fail(null);
                return;
            }
            String authzid = Utf8.decodeStrict(decoded, 0, first);
            String authcid = Utf8.decodeStrict(decoded, first + 1, second - first - 1);
            if (authzid == null || authcid == null || (!authzid.isEmpty() && !Names.same(authzid, authcid))) {
                fail(authcid);
                return;
            }
            char[] password = Utf8.decodeToChars(decoded, second + 1, decoded.length - second - 1);
            if (login.check(authcid, password)) {
                s.numeric(RPL_LOGGEDIN, s.mask(), authcid, "You are now logged in as " + authcid);
                s.numeric(RPL_SASLSUCCESS, "SASL authentication successful");
            } else {
                afterFailure();
            }
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** Wipes the base64 gathered so far (it encodes the password) and ends the exchange. */
    private void forgetPayload() {
        if (payload != null) {
            for (int i = 0; i < payload.length(); i++) {
                payload.setCharAt(i, '\0');
            }
            payload = null;
        }
    }

    private void fail(String account) {
        forgetPayload();
        login.failed(account);
        afterFailure();
    }

    private void afterFailure() {
        login.saslFailed();
        s.numeric(ERR_SASLFAIL, "SASL authentication failed");
        if (login.exhausted()) {
            login.closeExhausted();
        }
    }

    private void tooLong() {
        forgetPayload();
        login.saslFailed();
        s.numeric(ERR_SASLTOOLONG, "SASL message too long");
    }

    private void abort() {
        forgetPayload();
        login.saslFailed();
        s.numeric(ERR_SASLABORTED, "SASL authentication aborted");
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
