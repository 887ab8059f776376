package forkchat.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The user's settings file, {@code $XDG_CONFIG_HOME/forkchat/config} (by default
 * {@code ~/.config/forkchat/config}): {@code key = value} lines, {@code #} comments at the start
 * of a line, values optionally in double quotes. The command line wins over it. Keys:
 *
 * <pre>
 * server        = irc.example.org:6697   HOST[:PORT]; default 127.0.0.1
 * tls           = yes                    yes/no; default no (port 6697 when yes)
 * insecure      = no                     accept any TLS certificate
 * nick          = carol                  default: $USER
 * channels      = #lobby, #dev           joined at start; default #general
 * account       = carol                  SASL account; default: the nick
 * password_file = ~/.config/forkchat/pw  SASL password (first line)
 * realname      = Carol Smith            the real name shown in WHOIS
 * user          = carol                  the user name sent in USER
 * </pre>
 *
 * An unknown key is reported and ignored (a newer config on an older client still works); a
 * line without '=' or a bad boolean is an error naming the file and line.
 */
public final class ConfigFile {

    /** Every key the client reads. */
    public static final List<String> KEYS =
            List.of("server", "tls", "insecure", "nick", "channels", "account", "password_file", "realname", "user");

    private final Map<String, String> values;
    private final Map<String, Integer> lineOf;
    private final String origin;
    private final List<String> warnings;

    private ConfigFile(Map<String, String> values, Map<String, Integer> lineOf, String origin, List<String> warnings) {
        this.values = values;
        this.lineOf = lineOf;
        this.origin = origin;
        this.warnings = warnings;
    }

    /** The file's path: {@code $XDG_CONFIG_HOME/forkchat/config}, else {@code $HOME/.config/forkchat/config}. */
    public static Path defaultPath(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "forkchat", "config");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "forkchat", "config");
    }

    /** An empty configuration. */
    public static ConfigFile empty() {
        return new ConfigFile(Map.of(), Map.of(), "(none)", List.of());
    }

    /**
     * Reads {@code path}; a missing file is an empty configuration unless {@code required}.
     *
     * @throws IllegalArgumentException for a malformed file, with the file and line in the message
     */
    public static ConfigFile load(Path path, boolean required) throws IOException {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (NoSuchFileException e) {
            if (required) {
                throw new IOException("config file " + path + " does not exist");
            }
            return empty();
        }
    }

    /** Parses the text of a config file; {@code origin} names it in messages. */
    public static ConfigFile parse(String text, String origin) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(origin + ":" + (i + 1) + ": expected key = value, got: " + line);
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = unquote(line.substring(eq + 1).strip());
            if (!KEYS.contains(key)) {
                warnings.add(origin + ":" + (i + 1) + ": unknown key '" + key + "' ignored (known: "
                        + String.join(", ", KEYS) + ")");
                continue;
            }
            values.put(key, value);
            lineOf.put(key, i + 1);
        }
        return new ConfigFile(values, lineOf, origin, List.copyOf(warnings));
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** The value of {@code key}, or null when absent or empty. */
    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The boolean value of {@code key}, or null when absent. */
    public Boolean bool(String key) {
        String v = get(key);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw new IllegalArgumentException(origin + ":" + lineOf.get(key) + ": " + key
                    + " must be yes or no, not '" + v + "'");
        };
    }

    /** The comma- or space-separated values of {@code key}; empty when absent. */
    public List<String> list(String key) {
        String v = get(key);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String item : v.split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    out.add(item);
                }
            }
        }
        return out;
    }

    /** Where the configuration came from, for messages. */
    public String origin() {
        return origin;
    }

    /** Problems that did not stop the reading (unknown keys). */
    public List<String> warnings() {
        return warnings;
    }
}
