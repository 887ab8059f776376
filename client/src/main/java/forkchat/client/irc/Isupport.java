package forkchat.client.irc;

import forkchat.chat.Names;
import java.util.List;

/**
 * What the server told about itself in {@code 005 RPL_ISUPPORT}: which characters start a
 * channel name, how names fold case, which prefixes mark channel operators in NAMES. Defaults
 * are RFC 2812's, so a server that announces nothing is still understood. Immutable: each 005
 * line yields a new value.
 *
 * @param chanTypes   characters that start a channel name (CHANTYPES)
 * @param caseMapping how nicks and channel names fold case (CASEMAPPING)
 * @param prefixes    membership prefix characters such as {@code @+} (PREFIX)
 */
public record Isupport(String chanTypes, CaseMapping caseMapping, String prefixes) {

    /** Before any 005: RFC 2812. */
    public static final Isupport RFC = new Isupport("#&", CaseMapping.RFC1459, "@+");

    /** How names compare: RFC 1459 treats {@code []\~} as the lower case of {@code {}|^}. */
    public enum CaseMapping {
        ASCII, RFC1459, STRICT_RFC1459;

        /** The comparison key of a nick or channel name. */
        public String fold(String name) {
            String folded = Names.fold(name);
            if (this == ASCII) {
                return folded;
            }
            char[] chars = null;
            for (int i = 0; i < folded.length(); i++) {
                char c = folded.charAt(i);
                char d = switch (c) {
                    case '[' -> '{';
                    case ']' -> '}';
                    case '\\' -> '|';
                    case '~' -> this == RFC1459 ? '^' : c;
                    default -> c;
                };
                if (d != c) {
                    if (chars == null) {
                        chars = folded.toCharArray();
                    }
                    chars[i] = d;
                }
            }
            return chars == null ? folded : new String(chars);
        }
    }

    /** Whether {@code name} is a channel on this server. */
    public boolean isChannel(String name) {
        return name != null && !name.isEmpty() && chanTypes.indexOf(name.charAt(0)) >= 0;
    }

    public String fold(String name) {
        return caseMapping.fold(name);
    }

    public boolean same(String a, String b) {
        return a != null && b != null && fold(a).equals(fold(b));
    }

    /** A NAMES entry without its membership prefixes ({@code @alice} → {@code alice}). */
    public String stripPrefixes(String entry) {
        int i = 0;
        while (i < entry.length() && prefixes.indexOf(entry.charAt(i)) >= 0) {
            i++;
        }
        return entry.substring(i);
    }

    /** This value updated with the tokens of one 005 line (parameters between nick and text). */
    public Isupport with(List<String> tokens) {
        String types = chanTypes;
        CaseMapping mapping = caseMapping;
        String prefix = prefixes;
        for (String token : tokens) {
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            String value = eq < 0 ? "" : token.substring(eq + 1);
            switch (key) {
                case "CHANTYPES" -> types = value;
                case "CASEMAPPING" -> mapping = switch (value) {
                    case "ascii" -> CaseMapping.ASCII;
                    case "strict-rfc1459" -> CaseMapping.STRICT_RFC1459;
                    default -> CaseMapping.RFC1459;
                };
                case "PREFIX" -> {
                    int close = value.indexOf(')');
                    prefix = close >= 0 ? value.substring(close + 1) : value;
                }
                default -> {
                }
            }
        }
        return new Isupport(types, mapping, prefix);
    }
}
