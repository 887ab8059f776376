package forkchat.client.tui;

import forkchat.client.irc.Command;
import forkchat.client.irc.Session;
import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: {@code /commands} at the start of the line; channel names where a command
 * takes a channel or the word starts with '#'; otherwise nicks of the current channel (most
 * recently active first) and of private conversations. A nick completed at the start of a line
 * gets the customary ": " ("alice: hi"). Reads the session's published
 * {@link Session.Completions} and never its lock, so completing cannot wait on the network.
 */
public final class ChatCompleter implements Completer {

    private static final Set<String> CHANNEL_COMMANDS = Set.of("/join", "/j", "/part", "/leave", "/switch", "/w",
            "/names", "/topic", "/who");

    private final Session session;

    public ChatCompleter(Session session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        Session.Completions names = session.completions();
        String word = line.word();
        int index = line.wordIndex();
        if (index == 0 && word.startsWith("/")) {
            for (Command c : Command.values()) {
                candidates.add(new Candidate("/" + c.word(), "/" + c.word(), null, c.help(), null, null, true));
            }
            return;
        }
        String command = index > 0 && !line.words().isEmpty() ? line.words().get(0).toLowerCase(java.util.Locale.ROOT) : "";
        boolean channelsOnly = (index == 1 && CHANNEL_COMMANDS.contains(command)) || word.startsWith("#");
        int order = 0;
        for (String channel : names.channels()) {
            candidates.add(new Candidate(channel, channel, null, null, null, null, true, order++));
        }
        if (channelsOnly) {
            return;
        }
        boolean lineStart = index == 0;
        Set<String> seen = new java.util.HashSet<>();
        for (List<String> nicks : List.of(names.nicks(), names.queries())) {
            for (String nick : nicks) {
                if (seen.add(nick.toLowerCase(java.util.Locale.ROOT))) {
                    String value = lineStart ? nick + ":" : nick;
                    candidates.add(new Candidate(value, nick, null, null, null, null, true, order++));
                }
            }
        }
    }
}
