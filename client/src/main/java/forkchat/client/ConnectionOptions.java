package forkchat.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command-line options every forkchat mode shares (interactive, {@code send}, {@code tail}):
 * where to connect and as whom. A password is never an option value (it would show in
 * {@code ps} and in shell history): it comes from a file, {@code FORKCHAT_PASSWORD} or a prompt.
 */
public final class ConnectionOptions {

    @Option(names = {"-s", "--server"}, paramLabel = "HOST[:PORT]",
            description = "IRC server (default: 'server' in the config file, else 127.0.0.1); port 6667, 6697 with --tls")
    String server;

    @Option(names = {"-n", "--nick"}, paramLabel = "NICK", description = "nick (default: 'nick' in the config file, else $USER)")
    String nick;

    @Option(names = {"-c", "--channel"}, paramLabel = "CHANNEL",
            description = "channel to join, repeatable or comma-separated; the '#' may be left out"
                    + " (an unquoted #name is a comment in the shell) (default: 'channels' in the config file, else #general)")
    List<String> channels = new ArrayList<>();

    @Option(names = "--tls", negatable = true, description = "connect with TLS (certificate checked)")
    Boolean tls;

    @Option(names = "--insecure", negatable = true, description = "with --tls: accept any certificate (self-signed test servers)")
    Boolean insecure;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "log in with SASL PLAIN, the password being the first line of FILE (or set FORKCHAT_PASSWORD)")
    Path passwordFile;

    @Option(names = {"-W", "--ask-password"}, description = "log in with SASL PLAIN, asking for the password")
    boolean askPassword;

    @Option(names = "--account", paramLabel = "NAME", description = "SASL account name (default: the nick)")
    String account;

    @Option(names = "--config", paramLabel = "FILE",
            description = "config file (default: $XDG_CONFIG_HOME/forkchat/config or ~/.config/forkchat/config)")
    Path config;
}
