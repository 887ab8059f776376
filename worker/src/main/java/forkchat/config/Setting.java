package forkchat.config;

import java.util.function.Function;

/**
 * One named setting: its key, its default (as text, the way a config file would say it), its
 * meaning in one line, and how its text becomes a value. Defined once, in {@link Settings}.
 *
 * @param parse turns the text into a value or throws IllegalArgumentException saying why not
 */
public record Setting<T>(String key, String defaultText, String meaning, Function<String, T> parse) {

    /** Parses {@code text}, naming this key in the error. */
    public T parseValue(String text) {
        try {
            return parse.apply(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage() + " (got '" + text.strip() + "')");
        }
    }
}
