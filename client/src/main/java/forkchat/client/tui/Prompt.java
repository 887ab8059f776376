package forkchat.client.tui;

import forkchat.client.irc.Screen;

/**
 * The input line's prompt: the user's nick, their state when it is not the usual one, and where
 * plain text goes: {@code [carol] #lobby> }, {@code [carol, away] alice> },
 * {@code [carol, offline] #lobby> }.
 */
public final class Prompt {

    private Prompt() {
    }

    public static String of(Screen.Status status) {
        StringBuilder sb = new StringBuilder("[").append(status.nick());
        if (!status.online()) {
            sb.append(", offline");
        } else if (status.away()) {
            sb.append(", away");
        }
        sb.append(']');
        if (status.target() != null) {
            sb.append(' ').append(status.target());
        }
        return sb.append("> ").toString();
    }
}
