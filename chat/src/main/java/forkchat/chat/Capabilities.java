package forkchat.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * IRCv3 capability negotiation state of one session (CAP LS / REQ / LIST / END).
 *
 * <p>Supported: {@code server-time} (a {@code time} tag on lines that come from log entries),
 * {@code message-tags} (a {@code msgid} tag, the entry's offset, on the same lines) and
 * {@code echo-message} (the client's own PRIVMSG/NOTICE come back once the log holds them), and
 * {@code sasl} only in the {@link AuthMode#ACCOUNTS} mode (offered as {@code sasl=PLAIN} to
 * clients that announced CAP 302).
 * A CAP LS or CAP REQ before registration suspends registration until CAP END.
 * A REQ is all or nothing: one unknown capability NAKs the whole list.
 */
public final class Capabilities {

    public static final String SERVER_TIME = "server-time";
    public static final String MESSAGE_TAGS = "message-tags";
    public static final String ECHO_MESSAGE = "echo-message";

    public static final String SASL = "sasl";

    /** What CAP LS always offers, in this order ({@link #SASL} follows when accounts are on). */
    public static final List<String> SUPPORTED = List.of(SERVER_TIME, MESSAGE_TAGS, ECHO_MESSAGE);

    /** The SASL mechanisms, as CAP LS 302 and RPL_SASLMECHS (908) list them. */
    public static final String SASL_MECHANISMS = "PLAIN";

    private final boolean sasl;
    private final Set<String> enabled = new LinkedHashSet<>();
    private boolean negotiating;
    private int version = 301;

    /** Capabilities of a session; {@code sasl} whether the server offers SASL (accounts mode). */
    public Capabilities(boolean sasl) {
        this.sasl = sasl;
    }

    /** Whether the client enabled {@code cap}. */
    public boolean has(String cap) {
        return enabled.contains(cap);
    }

    /** Whether a CAP LS/REQ started a negotiation that CAP END has not ended (holds registration). */
    public boolean negotiating() {
        return negotiating;
    }

    /** The CAP version the client announced with CAP LS (301 when none). */
    public int version() {
        return version;
    }

    /** Enabled capabilities, in the order they were enabled. */
    public List<String> enabled() {
        return List.copyOf(enabled);
    }

    /** CAP LS [version]: starts negotiation (if before registration) and returns the offer. */
    String ls(String versionParam, boolean registered) {
        if (!registered) {
            negotiating = true;
        }
        if (versionParam != null) {
            try {
                version = Math.max(version, Integer.parseInt(versionParam.trim()));
            } catch (NumberFormatException ignored) {
                // not a version: CAP LS as 301
            }
        }
        if (!sasl) {
            return String.join(" ", SUPPORTED);
        }
        return String.join(" ", SUPPORTED) + " " + (version >= 302 ? SASL + "=" + SASL_MECHANISMS : SASL);
    }

    private boolean offers(String name) {
        return SUPPORTED.contains(name) || (sasl && SASL.equals(name));
    }

    /**
     * CAP REQ: applies the whole list if every name is supported ({@code -name} disables) and
     * returns true (ACK), else changes nothing and returns false (NAK).
     */
    boolean request(String list, boolean registered) {
        if (!registered) {
            negotiating = true;
        }
        List<String> wanted = new ArrayList<>();
        for (String token : list.trim().split(" +")) {
            if (!token.isEmpty()) {
                wanted.add(token);
            }
        }
        if (wanted.isEmpty()) {
            return false;
        }
        for (String token : wanted) {
            String name = token.startsWith("-") ? token.substring(1) : token;
            if (!offers(name)) {
                return false;
            }
        }
        for (String token : wanted) {
            if (token.startsWith("-")) {
                enabled.remove(token.substring(1));
            } else {
                enabled.add(token);
            }
        }
        return true;
    }

    /** CAP END. */
    void end() {
        negotiating = false;
    }
}
