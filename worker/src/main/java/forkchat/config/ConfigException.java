package forkchat.config;

/** A setting or a config file is not acceptable; the message names the key or the line. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
