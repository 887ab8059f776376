package forkchat.client.irc;

import forkchat.chat.Names;

/**
 * Alternative nicks tried when the server answers {@code 433 ERR_NICKNAMEINUSE} during
 * registration: {@code carol_}, {@code carol__}, then {@code carol3} ... {@code carol9}, each
 * kept within the nick length limit. After {@link #MAX_ATTEMPTS} the client gives up.
 */
public final class AltNicks {

    /** Alternatives tried before registration fails. */
    public static final int MAX_ATTEMPTS = 9;

    private AltNicks() {
    }

    /** The {@code attempt}-th alternative (1-based) to {@code preferred}, or null after the last. */
    public static String next(String preferred, int attempt) {
        if (attempt < 1 || attempt > MAX_ATTEMPTS) {
            return null;
        }
        String suffix = switch (attempt) {
            case 1 -> "_";
            case 2 -> "__";
            default -> Integer.toString(attempt);
        };
        int room = Math.max(1, Names.NICK_MAX - suffix.length());
        String base = preferred.length() > room ? preferred.substring(0, room) : preferred;
        return base + suffix;
    }
}
