package forkchat.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the lines the server itself says ({@code :server 401 nick target :text}). Hot paths
 * concatenate strings directly rather than going through {@link IrcMessage}: every parameter
 * but the last comes from validated names, and the last is always written in the ':' form.
 */
final class Replies {

    /** Longest line without CR LF and without tags. */
    static final int MAX_LINE = 510;

    private final String server;

    Replies(String server) {
        this.server = server;
    }

    String server() {
        return server;
    }

    /** {@code :server CODE target p1 ... :plast}; the last parameter in the ':' form. */
    String numeric(String target, String code, String... params) {
        return withParams(new StringBuilder(64).append(':').append(server).append(' ').append(code)
                .append(' ').append(target), params, true);
    }

    /** Like {@link #numeric} but every parameter bare (for replies such as 004, 324, 333, 221). */
    String numericPlain(String target, String code, String... params) {
        return withParams(new StringBuilder(64).append(':').append(server).append(' ').append(code)
                .append(' ').append(target), params, false);
    }

    /** {@code :server COMMAND p1 ... :plast}. */
    String fromServer(String command, String... params) {
        return withParams(new StringBuilder(64).append(':').append(server).append(' ').append(command), params, true);
    }

    /** Appends the parameters, space-separated, the last one after ':' when {@code trailing}. */
    private static String withParams(StringBuilder sb, String[] params, boolean trailing) {
        for (int i = 0; i < params.length; i++) {
            sb.append(' ');
            if (trailing && i == params.length - 1) {
                sb.append(':');
            }
            sb.append(params[i]);
        }
        return sb.toString();
    }

    /**
     * One or more numerics whose last parameter is a space-separated list ({@code 353}, {@code 319}),
     * split so that each line stays within {@link #MAX_LINE} bytes.
     */
    List<String> numericList(String target, String code, List<String> middles, List<String> items) {
        StringBuilder head = new StringBuilder(64).append(':').append(server).append(' ').append(code)
                .append(' ').append(target);
        for (String m : middles) {
            head.append(' ').append(m);
        }
        head.append(" :");
        String prefix = head.toString();
        int room = MAX_LINE - Utf8.length(prefix);
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int curBytes = 0;
        for (String item : items) {
            int bytes = Utf8.length(item);
            if (curBytes > 0 && curBytes + 1 + bytes > room) {
                lines.add(prefix + cur);
                cur.setLength(0);
                curBytes = 0;
            }
            if (curBytes > 0) {
                cur.append(' ');
                curBytes++;
            }
            cur.append(item);
            curBytes += bytes;
        }
        if (curBytes > 0) {
            lines.add(prefix + cur);
        }
        return lines;
    }

    /**
     * The last guard of the line limit: a line whose untagged part exceeds {@link #MAX_LINE} bytes
     * (a reply that echoes a huge nick, command or CAP list, or Latin-1 input that doubles in
     * UTF-8) is cut there, at a UTF-8 boundary. What is left is still one valid line.
     */
    static String clip(String line) {
        if (line.length() <= MAX_LINE / 3) {
            return line; // at most 3 bytes per char (a 4-byte pair is 2 chars)
        }
        int start = line.startsWith("@") ? line.indexOf(' ') + 1 : 0;
        String body = line.substring(start);
        return Utf8.length(body) <= MAX_LINE ? line : line.substring(0, start) + Utf8.truncate(body, MAX_LINE);
    }

    /**
     * Cuts {@code text} so that {@code head + text} stays within {@link #MAX_LINE} bytes (at a
     * UTF-8 boundary).
     */
    static String fit(String head, String text) {
        return Utf8.truncate(text, MAX_LINE - Utf8.length(head));
    }
}
