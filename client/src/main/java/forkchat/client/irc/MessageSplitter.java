package forkchat.client.irc;

import forkchat.chat.Utf8;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a long message into pieces that each fit an IRC line. IRC counts bytes (512 with CR LF,
 * including the {@code :nick!user@host PRIVMSG #chan :} that the server puts in front when it
 * relays), so the budget is in UTF-8 bytes; pieces end at a space when there is one in the
 * second half of the piece, otherwise at a character boundary: never inside a UTF-8 sequence,
 * a surrogate pair or (where it fits at all) a grapheme cluster such as an emoji with modifiers.
 */
public final class MessageSplitter {

    /** The smallest budget honoured; a smaller one (an absurdly long target name) is raised to it. */
    static final int MIN_BUDGET = 16;

    private MessageSplitter() {
    }

    /** {@code text} in pieces of at most {@code maxBytes} UTF-8 bytes each; empty for empty text. */
    public static List<String> split(String text, int maxBytes) {
        int budget = Math.max(MIN_BUDGET, maxBytes);
        List<String> pieces = new ArrayList<>();
        String rest = text;
        while (Utf8.length(rest) > budget) {
            int cut = graphemeBoundaryAtOrBefore(rest, Utf8.truncate(rest, budget).length());
            int space = rest.lastIndexOf(' ', cut);
            if (space > 0 && space >= cut / 2) {
                pieces.add(rest.substring(0, space));
                rest = rest.substring(space + 1);
            } else {
                pieces.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
        }
        if (!rest.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }

    /** The last grapheme boundary at or before {@code cut}; {@code cut} itself when the cluster is longer. */
    private static int graphemeBoundaryAtOrBefore(String s, int cut) {
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(s);
        if (graphemes.isBoundary(cut)) {
            return cut;
        }
        int before = graphemes.preceding(cut);
        return before > 0 ? before : cut;
    }
}
