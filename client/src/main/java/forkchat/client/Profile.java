package forkchat.client;

import forkchat.chat.Names;
import forkchat.client.irc.Identity;
import forkchat.client.net.ServerAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to connect, resolved from the command line, the environment and the config
 * file, in that order of precedence.
 *
 * @param address  the server
 * @param tls      connect with TLS
 * @param insecure accept any TLS certificate
 * @param identity nick, user, real name and SASL credentials
 * @param channels channels to join (each with its '#')
 */
public record Profile(ServerAddress address, boolean tls, boolean insecure, Identity identity, List<String> channels) {

    /** Joined when neither the command line nor the config file name a channel. */
    public static final String DEFAULT_CHANNEL = "#general";

    /** Connected to when neither the command line nor the config file name a server. */
    public static final String DEFAULT_SERVER = "127.0.0.1";

    /** The environment variable that may hold the SASL password. */
    public static final String PASSWORD_ENV = "FORKCHAT_PASSWORD";

    /**
     * Resolves the options.
     *
     * @throws IllegalArgumentException for a bad value (the message is for the user)
     * @throws IOException              when the config or password file cannot be read
     */
    public static Profile resolve(ConnectionOptions options, ConfigFile config, Map<String, String> env,
                                  PasswordSource.Prompt prompt) throws IOException {
        boolean tls = first(options.tls, config.bool("tls"), false);
        boolean insecure = first(options.insecure, config.bool("insecure"), false);
        String server = first(options.server, config.get("server"), DEFAULT_SERVER);
        ServerAddress address = ServerAddress.parse(server, tls);
        String nick = first(options.nick, config.get("nick"), defaultNick(env));
        if (!Names.isValidNick(nick)) {
            throw new IllegalArgumentException("not a valid nick: '" + nick + "' (a letter or one of []\\`_^{|} first,"
                    + " then also digits and '-', at most " + Names.NICK_MAX + " characters)");
        }
        List<String> channels = channels(options.channels.isEmpty() ? config.list("channels") : options.channels);
        if (channels.isEmpty()) {
            channels = List.of(DEFAULT_CHANNEL);
        }
        String account = first(options.account, config.get("account"), nick);
        String password = PasswordSource.resolve(options, config, env, prompt, account);
        Identity identity = new Identity(nick, first(null, config.get("user"), nick), config.get("realname"), account,
                password);
        return new Profile(address, tls, insecure, identity, channels);
    }

    /** The config file the options name, or the default one (which may be missing). */
    public static ConfigFile configFor(ConnectionOptions options, Map<String, String> env) throws IOException {
        ConfigFile config = options.config != null
                ? ConfigFile.load(options.config, true)
                : ConfigFile.load(ConfigFile.defaultPath(env), false);
        for (String warning : config.warnings()) {
            System.err.println("forkchat: " + warning);
        }
        return config;
    }

    /** Channel names from options or config: comma-separated lists split, a missing '#' added. */
    static List<String> channels(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String item : given) {
            for (String c : item.split(",")) {
                String name = c.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if ("#&+!".indexOf(name.charAt(0)) < 0) {
                    name = "#" + name;
                }
                if (!Names.isValidChannel(name) && name.charAt(0) == '#') {
                    throw new IllegalArgumentException("not a valid channel name: '" + name + "'");
                }
                if (out.stream().noneMatch(name::equalsIgnoreCase)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** $USER when it is a valid nick, else "forkchat". */
    static String defaultNick(Map<String, String> env) {
        String user = env.get("USER");
        if (user == null) {
            user = env.get("LOGNAME");
        }
        return user != null && Names.isValidNick(user) ? user : "forkchat";
    }

    private static <T> T first(T a, T b, T fallback) {
        return a != null ? a : b != null ? b : fallback;
    }
}
