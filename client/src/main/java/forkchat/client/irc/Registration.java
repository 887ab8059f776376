package forkchat.client.irc;

import forkchat.chat.IrcMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's half of connection registration (Modern IRC "Connection Registration", IRCv3
 * capability negotiation and SASL): {@code CAP LS 302}, {@code NICK} and {@code USER} go out at
 * once; when the server lists its capabilities the useful ones are requested; with a password,
 * SASL PLAIN runs before {@code CAP END}; a taken nick is replaced by an alternative; {@code 001}
 * ends it. A server that knows nothing of CAP simply registers the client (RFC 1459 and 2812
 * servers answer 421 or ignore the line).
 *
 * <p>When a password was given, registration insists on SASL: a server without it, or a failed
 * authentication, ends registration with a {@link #failure()} instead of continuing without
 * authentication; retrying would not help, so the caller does not reconnect.
 */
final class Registration {

    /** Capabilities the client uses when the server offers them. */
    static final List<String> WANTED_CAPS = List.of("server-time", "echo-message");

    static final String SASL = "sasl";

    private final Identity identity;
    private final Wire wire;
    private final Map<String, String> offered = new LinkedHashMap<>();
    private final Set<String> enabled = new LinkedHashSet<>();
    private final String preferred;
    private String nick;
    private int nickAttempts;
    private boolean capEnded;
    private boolean authenticated;
    private boolean registered;
    private String failure;

    Registration(Identity identity, String nick, Wire wire) {
        this.identity = identity;
        this.preferred = nick;
        this.nick = nick;
        this.wire = wire;
    }

    /** Sends the opening lines. */
    void start() {
        wire.send("CAP LS 302");
        wire.send("NICK " + nick);
        wire.send("USER " + identity.user() + " 0 * :" + identity.realName());
    }

    /** The nick being registered (after 001: the nick the server confirmed). */
    String nick() {
        return nick;
    }

    /** The server confirmed a nick change (NICK from the client's own old nick). */
    void renamed(String newNick) {
        nick = newNick;
    }

    boolean registered() {
        return registered;
    }

    /** Why registration cannot succeed (SASL refused or unavailable, no free nick), or null. */
    String failure() {
        return failure;
    }

    /** Capabilities the server acknowledged. */
    Set<String> enabled() {
        return enabled;
    }

    /**
     * Handles a line that belongs to registration; returns false for lines it does not consume
     * (they are shown as usual).
     */
    boolean handle(IrcMessage m) {
        if (failure != null) {
            return true;
        }
        return switch (m.command()) {
            case "CAP" -> cap(m);
            case "AUTHENTICATE" -> authenticate(m);
            case "001" -> welcome(m);
            case "433", "436", "437" -> !registered && nickTaken(m);
            case "432" -> !registered && fail("the server refused the nick " + nick + ": " + last(m));
            case "421" -> "CAP".equalsIgnoreCase(m.param(1)) && noCap();
            case "900" -> true; // logged in as ...
            case "903" -> endCap();
            case "907" -> endCap(); // already authenticated
            case "902", "904", "905", "906" -> fail("SASL authentication failed: " + last(m));
            case "908" -> true; // the mechanisms list; 904 follows
            default -> false;
        };
    }

    private boolean cap(IrcMessage m) {
        String sub = m.param(1) == null ? "" : m.param(1).toUpperCase(java.util.Locale.ROOT);
        switch (sub) {
            case "LS" -> {
                boolean more = m.paramCount() > 3 && "*".equals(m.param(2));
                addOffers(m.param(m.paramCount() - 1));
                if (!more && !capEnded && !registered) {
                    request();
                }
            }
            case "ACK" -> {
                for (String cap : words(m.param(m.paramCount() - 1))) {
                    if (cap.startsWith("-")) {
                        enabled.remove(cap.substring(1));
                    } else {
                        enabled.add(cap);
                    }
                }
                if (!capEnded && !registered) {
                    if (identity.hasPassword() && enabled.contains(SASL) && !authenticated) {
                        wire.send("AUTHENTICATE " + SaslPlain.MECHANISM);
                    } else {
                        endCap();
                    }
                }
            }
            case "NAK" -> {
                if (identity.hasPassword()) {
                    return fail("the server refused the capabilities " + m.param(m.paramCount() - 1));
                }
                endCap();
            }
            case "DEL" -> {
                for (String cap : words(m.param(m.paramCount() - 1))) {
                    enabled.remove(cap);
                }
            }
            default -> {
                // NEW, LIST: nothing to do
            }
        }
        return true;
    }

    private void addOffers(String list) {
        for (String token : words(list)) {
            int eq = token.indexOf('=');
            offered.put(eq < 0 ? token : token.substring(0, eq), eq < 0 ? "" : token.substring(eq + 1));
        }
    }

    private void request() {
        List<String> wanted = new ArrayList<>();
        for (String cap : WANTED_CAPS) {
            if (offered.containsKey(cap)) {
                wanted.add(cap);
            }
        }
        if (identity.hasPassword()) {
            String mechanisms = offered.get(SASL);
            if (mechanisms == null) {
                fail("the server does not offer SASL, and a password was given");
                return;
            }
            if (!mechanisms.isEmpty() && !List.of(mechanisms.split(",")).contains(SaslPlain.MECHANISM)) {
                fail("the server does not offer SASL PLAIN (only " + mechanisms + ")");
                return;
            }
            wanted.add(SASL);
        }
        if (wanted.isEmpty()) {
            endCap();
        } else {
            wire.send("CAP REQ :" + String.join(" ", wanted));
        }
    }

    private boolean authenticate(IrcMessage m) {
        if ("+".equals(m.param(0)) && identity.hasPassword() && !authenticated) {
            for (String line : SaslPlain.responseLines(identity.account(), identity.password())) {
                wire.send(line);
            }
        }
        return true;
    }

    private boolean endCap() {
        if (identity.hasPassword() && enabled.contains(SASL)) {
            authenticated = true;
        }
        if (!capEnded) {
            capEnded = true;
            wire.send("CAP END");
        }
        return true;
    }

    private boolean noCap() {
        capEnded = true;
        if (identity.hasPassword()) {
            return fail("the server does not support CAP, so no SASL, and a password was given");
        }
        return true;
    }

    private boolean welcome(IrcMessage m) {
        if (identity.hasPassword() && !authenticated) {
            return fail("the server registered the connection without SASL, and a password was given");
        }
        registered = true;
        if (m.param(0) != null && !m.param(0).isEmpty() && !"*".equals(m.param(0))) {
            nick = m.param(0);
        }
        return false; // the welcome text is shown
    }

    private boolean nickTaken(IrcMessage m) {
        String next = AltNicks.next(preferred, ++nickAttempts);
        if (next == null) {
            return fail("no free nick: " + preferred + " and its alternatives are all taken");
        }
        nick = next;
        wire.send("NICK " + nick);
        return true;
    }

    private boolean fail(String why) {
        failure = why;
        return true;
    }

    private static String last(IrcMessage m) {
        return m.paramCount() == 0 ? "" : m.param(m.paramCount() - 1);
    }

    private static List<String> words(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String w : list.trim().split(" +")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
