package forkchat.chat;

/**
 * Nick and channel names: case folding and validation.
 *
 * <p>The server announces {@code CASEMAPPING=ascii}: only A–Z fold to a–z. Every comparison of
 * nicks and channel names goes through {@link #fold}, so that "Alice" and "alice" are one nick on
 * every worker, whatever its locale.
 */
public final class Names {

    /** Longest nick (NICKLEN). */
    public static final int NICK_MAX = 30;

    /** Longest channel name, '#' included (CHANNELLEN). */
    public static final int CHANNEL_MAX = 50;

    /** Longest user name kept from USER (USERLEN); longer ones are cut. */
    public static final int USER_MAX = 10;

    private static final String NICK_SPECIALS = "[]\\`_^{|}";

    private Names() {
    }

    /** ASCII case folding (CASEMAPPING=ascii): the key for every nick and channel comparison. */
    public static String fold(String name) {
        int n = name.length();
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = name.toCharArray();
                for (int j = i; j < n; j++) {
                    char d = chars[j];
                    if (d >= 'A' && d <= 'Z') {
                        chars[j] = (char) (d + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return name;
    }

    /** Whether two names are the same under {@link #fold}. */
    public static boolean same(String a, String b) {
        return a != null && b != null && fold(a).equals(fold(b));
    }

    /**
     * A valid nick: 1 to {@value #NICK_MAX} characters, a letter or one of {@code []\`_^{|}} first,
     * then also digits and '-'.
     */
    public static boolean isValidNick(String nick) {
        if (nick == null || nick.isEmpty() || nick.length() > NICK_MAX) {
            return false;
        }
        for (int i = 0; i < nick.length(); i++) {
            char c = nick.charAt(i);
            boolean ok = isAsciiLetter(c) || NICK_SPECIALS.indexOf(c) >= 0
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '-'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is meant as a channel (starts with the only channel type, '#'). */
    public static boolean isChannel(String name) {
        return name != null && !name.isEmpty() && name.charAt(0) == '#';
    }

    /**
     * A valid channel name: '#' then 1 to 49 characters, none of space, comma, BEL, NUL, CR, LF
     * or ':'.
     */
    public static boolean isValidChannel(String name) {
        if (!isChannel(name) || name.length() < 2 || name.length() > CHANNEL_MAX) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            switch (name.charAt(i)) {
                case ' ', ',', '\u0007', '\0', '\r', '\n', ':' -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    /**
     * A user name from USER made safe for {@code nick!user@host}: characters that would break the
     * mask (space, '!', '@', control characters) are dropped, the rest cut to {@value #USER_MAX}.
     * Returns an empty string when nothing usable is left.
     */
    public static String cleanUser(String user) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < user.length() && sb.length() < USER_MAX; i++) {
            char c = user.charAt(i);
            if (c > ' ' && c != '!' && c != '@' && c != ':' && c != ',' && c < 0x7f) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
