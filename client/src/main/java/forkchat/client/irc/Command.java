package forkchat.client.irc;

import java.util.Locale;

/**
 * The slash commands the user can type, with their usage and a one-line help: the single list
 * behind {@code /help} and tab completion.
 */
public enum Command {
    JOIN("/join #channel[,#other] [key]", "join channels; the first becomes the target"),
    PART("/part [#channel] [reason]", "leave the current (or the given) channel"),
    MSG("/msg NICK|#channel text", "send one message without changing the target"),
    ME("/me text", "an action in the current target (\"* carol waves\")"),
    NAMES("/names [#channel]", "who is in the current (or the given) channel"),
    WHO("/who [mask]", "details of the people matching mask (default: the current channel)"),
    WHOIS("/whois NICK", "who NICK is and where"),
    TOPIC("/topic [#channel] [text]", "show the topic, or set it to text"),
    NICK("/nick NEWNICK", "change your nick"),
    AWAY("/away [message]", "mark yourself away with message; /away alone: you are back"),
    QUERY("/query NICK [text]", "talk privately with NICK: plain text goes to NICK; /query alone closes it"),
    SWITCH("/switch [#channel|NICK]", "where plain text goes; alone: the next channel or query"),
    QUOTE("/quote RAW LINE", "send a line to the server as it is (e.g. /quote LIST)"),
    RECONNECT("/reconnect", "drop the connection and connect again now"),
    HELP("/help [command]", "this list, or one command"),
    QUIT("/quit [reason]", "leave the server and exit (Ctrl-D too)");

    private final String usage;
    private final String help;

    Command(String usage, String help) {
        this.usage = usage;
        this.help = help;
    }

    /** The word typed after '/', e.g. "join". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String usage() {
        return usage;
    }

    public String help() {
        return help;
    }

    /** The command for a typed word (case-insensitive, a few common aliases), or null. */
    public static Command of(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (Command c : values()) {
            if (c.word().equals(w)) {
                return c;
            }
        }
        return switch (w) {
            case "j" -> JOIN;
            case "leave" -> PART;
            case "m", "privmsg" -> MSG;
            case "action" -> ME;
            case "exit", "bye" -> QUIT;
            case "raw" -> QUOTE;
            case "w", "window" -> SWITCH;
            default -> null;
        };
    }
}
