package forkchat.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One IRC message: IRCv3 tags, an optional source (prefix), a command and up to 15 parameters
 * (RFC 2812 section 2.3.1, Modern IRC "Messages"). Parsing is lenient the way servers must be
 * (several spaces between parameters, a 15th parameter that swallows the rest of the line without
 * a ':'); formatting is strict (it refuses a middle parameter that would change the message).
 * Shared with the client and the bench, which speak the same lines.
 *
 * @param tags     tag keys to unescaped values (empty string for a tag without value), in order
 * @param source   the prefix without ':', or null
 * @param command  upper-cased command or three-digit numeric
 * @param params   parameters, the trailing one without its ':'
 * @param trailing whether the last parameter is written in the ':' form even when it need not be
 */
public record IrcMessage(Map<String, String> tags, String source, String command, List<String> params,
                         boolean trailing) {

    /** Most parameters a message carries (RFC 2812: 14 middle plus one trailing). */
    public static final int MAX_PARAMS = 15;

    public IrcMessage {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        tags = tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        params = List.copyOf(params);
    }

    /** A message without tags or source; the last parameter gets ':' only when it needs one. */
    public static IrcMessage of(String command, String... params) {
        return new IrcMessage(Map.of(), null, command, List.of(params), false);
    }

    /** The same message with the last parameter always written in the ':' form. */
    public IrcMessage withTrailing() {
        return new IrcMessage(tags, source, command, params, true);
    }

    public IrcMessage withSource(String newSource) {
        return new IrcMessage(tags, newSource, command, params, trailing);
    }

    public IrcMessage withTags(Map<String, String> newTags) {
        return new IrcMessage(newTags, source, command, params, trailing);
    }

    /** Parameter {@code i}, or null when there are fewer. */
    public String param(int i) {
        return i < params.size() ? params.get(i) : null;
    }

    public int paramCount() {
        return params.size();
    }

    /**
     * Parses one line (without CR LF).
     *
     * @throws IllegalArgumentException when the line holds no command
     */
    public static IrcMessage parse(String line) {
        int n = line.length();
        int i = skipSpaces(line, 0);
        Map<String, String> tags = Map.of();
        if (i < n && line.charAt(i) == '@') {
            int end = line.indexOf(' ', i);
            if (end < 0) {
                throw new IllegalArgumentException("tags without a command");
            }
            tags = parseTags(line.substring(i + 1, end));
            i = skipSpaces(line, end);
        }
        String source = null;
        if (i < n && line.charAt(i) == ':') {
            int end = line.indexOf(' ', i);
            if (end < 0) {
                throw new IllegalArgumentException("source without a command");
            }
            source = line.substring(i + 1, end);
            i = skipSpaces(line, end);
        }
        int end = line.indexOf(' ', i);
        if (end < 0) {
            end = n;
        }
        String command = upper(line.substring(i, end));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        List<String> params = new ArrayList<>();
        boolean trailing = false;
        i = end;
        while (true) {
            i = skipSpaces(line, i);
            if (i >= n) {
                break;
            }
            if (line.charAt(i) == ':') {
                params.add(line.substring(i + 1));
                trailing = true;
                break;
            }
            if (params.size() == MAX_PARAMS - 1) {
                params.add(line.substring(i));
                trailing = true;
                break;
            }
            int next = line.indexOf(' ', i);
            if (next < 0) {
                next = n;
            }
            params.add(line.substring(i, next));
            i = next;
        }
        return new IrcMessage(tags, source, command, params, trailing);
    }

    /** The line (without CR LF). */
    public String format() {
        StringBuilder sb = new StringBuilder(64);
        if (!tags.isEmpty()) {
            sb.append('@');
            boolean first = true;
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (tag.getKey().isEmpty() || tag.getKey().indexOf(' ') >= 0 || tag.getKey().indexOf(';') >= 0) {
                    throw new IllegalArgumentException("bad tag key: " + tag.getKey());
                }
                if (!first) {
                    sb.append(';');
                }
                first = false;
                sb.append(tag.getKey());
                if (tag.getValue() != null && !tag.getValue().isEmpty()) {
                    sb.append('=').append(escapeTagValue(tag.getValue()));
                }
            }
            sb.append(' ');
        }
        if (source != null) {
            if (source.isEmpty() || source.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("bad source: " + source);
            }
            sb.append(':').append(source).append(' ');
        }
        if (command.indexOf(' ') >= 0 || command.charAt(0) == ':' || command.charAt(0) == '@') {
            throw new IllegalArgumentException("bad command: " + command);
        }
        sb.append(command);
        for (int p = 0; p < params.size(); p++) {
            String value = params.get(p);
            boolean needsColon = value.isEmpty() || value.indexOf(' ') >= 0 || value.charAt(0) == ':';
            sb.append(' ');
            if (p == params.size() - 1) {
                if (needsColon || trailing) {
                    sb.append(':');
                }
            } else if (needsColon) {
                throw new IllegalArgumentException("middle parameter " + p + " cannot be written: '" + value + "'");
            }
            sb.append(value);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /** IRCv3 tag value escaping: ';' → {@code \:}, space → {@code \s}, '\' → {@code \\}, CR, LF. */
    public static String escapeTagValue(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case ';' -> sb.append("\\:");
                case ' ' -> sb.append("\\s");
                case '\\' -> sb.append("\\\\");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Inverse of {@link #escapeTagValue}; an unknown escape keeps the character, a lone trailing '\' goes. */
    public static String unescapeTagValue(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= value.length()) {
                break;
            }
            char e = value.charAt(i);
            switch (e) {
                case ':' -> sb.append(';');
                case 's' -> sb.append(' ');
                case 'r' -> sb.append('\r');
                case 'n' -> sb.append('\n');
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    private static Map<String, String> parseTags(String raw) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : raw.split(";")) {
            if (tag.isEmpty()) {
                continue;
            }
            int eq = tag.indexOf('=');
            String key = eq < 0 ? tag : tag.substring(0, eq);
            if (key.isEmpty()) {
                continue;
            }
            tags.put(key, eq < 0 ? "" : unescapeTagValue(tag.substring(eq + 1)));
        }
        return tags;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String upper(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'a' && chars[j] <= 'z') {
                        chars[j] = (char) (chars[j] - ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }
}
