package forkchat.client.irc;

/**
 * A CTCP request or reply carried in a PRIVMSG or NOTICE ({@code \u0001COMMAND args\u0001});
 * the client-to-client protocol behind {@code /me} (ACTION), VERSION and PING.
 *
 * @param command upper-cased CTCP command, e.g. ACTION
 * @param args    what follows the command (may be empty)
 */
public record Ctcp(String command, String args) {

    private static final char DELIM = '\u0001';

    /** The CTCP inside {@code text}, or null when the text is an ordinary message. */
    public static Ctcp parse(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != DELIM) {
            return null;
        }
        int end = text.length();
        if (text.charAt(end - 1) == DELIM) {
            end--; // the closing delimiter is optional in practice
        }
        String body = text.substring(1, end);
        int space = body.indexOf(' ');
        String command = (space < 0 ? body : body.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
        if (command.isEmpty()) {
            return null;
        }
        return new Ctcp(command, space < 0 ? "" : body.substring(space + 1));
    }

    /** The message text that carries this CTCP. */
    public String encode() {
        return DELIM + command + (args.isEmpty() ? "" : " " + args) + DELIM;
    }

    /** The text of {@code /me args}. */
    public static String action(String args) {
        return new Ctcp("ACTION", args).encode();
    }
}
