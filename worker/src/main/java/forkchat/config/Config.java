package forkchat.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Effective settings: the catalog's defaults, overridden by a config file, overridden by
 * {@code -c key=value} options. Every value is parsed and checked when the Config is built, so
 * a bad value stops the daemon at start with a message naming the key (or the file and line).
 * Immutable.
 */
public final class Config {

    private final Map<Setting<?>, Object> values;
    private final Map<String, String> texts;

    private Config(Map<String, String> texts) {
        this.texts = texts;
        this.values = new LinkedHashMap<>();
        for (Setting<?> s : Settings.all()) {
            values.put(s, s.parseValue(texts.getOrDefault(s.key(), s.defaultText())));
        }
        check();
    }

    /** Defaults only. */
    public static Config defaults() {
        return new Config(new LinkedHashMap<>());
    }

    /**
     * @param file      a config file, or null for none
     * @param overrides {@code key=value} strings from the command line, later ones win
     */
    public static Config load(Path file, List<String> overrides) {
        Map<String, String> texts = new LinkedHashMap<>();
        if (file != null) {
            readFile(file, texts);
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("-c " + o + ": expected key=value");
            }
            put(texts, o.substring(0, eq).strip(), o.substring(eq + 1), "-c " + o);
        }
        return new Config(texts);
    }

    private static void readFile(Path file, Map<String, String> texts) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = file + ":" + (i + 1);
            if (eq <= 0) {
                throw new ConfigException(where + ": expected 'key = value', got '" + line + "'");
            }
            put(texts, line.substring(0, eq).strip(), line.substring(eq + 1), where);
        }
    }

    private static void put(Map<String, String> texts, String key, String value, String where) {
        if (Settings.byKey(key) == null) {
            throw new ConfigException(where + ": unknown setting '" + key + "' (see 'forkchatd settings')");
        }
        texts.put(key, value.strip());
    }

    /** Rules that involve more than one setting. */
    private void check() {
        if (get(Settings.POOL_MIN_SPARE) > get(Settings.POOL_MAX_SPARE)) {
            throw new ConfigException("pool_min_spare (" + get(Settings.POOL_MIN_SPARE)
                    + ") must not exceed pool_max_spare (" + get(Settings.POOL_MAX_SPARE) + ")");
        }
        if (tlsListen() != null && (get(Settings.TLS_CERTIFICATE).isEmpty() || get(Settings.TLS_KEY).isEmpty())) {
            throw new ConfigException("tls_listen needs tls_certificate and tls_key (PEM files)");
        }
    }

    /** The TLS listener's address, or null when there is none. */
    public HostPort tlsListen() {
        String text = get(Settings.TLS_LISTEN);
        return text.isEmpty() ? null : HostPort.parse(text);
    }

    /** Where the supervisor keeps the TLS credentials it last accepted, for its workers. */
    public Path tlsSnapshotDir() {
        return runtimeDir().resolve("tls");
    }

    /** The setting's value as text, the way the file or -c said it (or its default). */
    public String text(Setting<?> setting) {
        return texts.getOrDefault(setting.key(), setting.defaultText());
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** A copy with {@code key=value} overrides applied on top of this config. */
    public Config with(List<String> overrides) {
        Map<String, String> copy = new LinkedHashMap<>(texts);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("-c " + o + ": expected key=value");
            }
            put(copy, o.substring(0, eq).strip(), o.substring(eq + 1), "-c " + o);
        }
        return new Config(copy);
    }

    /** The settings that differ from their defaults, as {@code key=value} (to hand to a worker). */
    public List<String> asOverrides() {
        List<String> out = new ArrayList<>();
        texts.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** The state directory, absolute. */
    public Path stateDir() {
        return get(Settings.STATE_DIR).toAbsolutePath().normalize();
    }

    /** The runtime directory (of handoff.sock), absolute. */
    public Path runtimeDir() {
        String dir = get(Settings.RUNTIME_DIR);
        return dir.isEmpty() ? stateDir().resolve("run") : Path.of(dir).toAbsolutePath().normalize();
    }

    /** The message log's directory of segments, {@code $state_dir/log}. */
    public Path logDir() {
        return stateDir().resolve("log");
    }

    public Path handoffSocket() {
        return runtimeDir().resolve("handoff.sock");
    }

    /** Who listens for which channel, for the fork model's rings ({@code forkchat.ipc.RingRoster}). */
    public Path ringRoster() {
        return runtimeDir().resolve("ring-roster");
    }
}
