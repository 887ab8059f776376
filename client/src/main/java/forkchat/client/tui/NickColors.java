package forkchat.client.tui;

import forkchat.chat.Names;
import java.nio.charset.StandardCharsets;
import org.jline.utils.AttributedStyle;

/**
 * A stable colour for every nick: the same nick gets the same colour in every session and on
 * every machine (FNV-1a of the case-folded nick, not {@code Object.hashCode} of anything that
 * could change), from a palette of the twelve basic ANSI colours that read well on both dark
 * and light backgrounds. Black, white and grey are left for the user's own nick and status lines.
 */
public final class NickColors {

    /** Foreground colour numbers (AttributedStyle's 0–15 palette). */
    static final int[] PALETTE = {
        AttributedStyle.RED, AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE,
        AttributedStyle.MAGENTA, AttributedStyle.CYAN,
        AttributedStyle.BRIGHT + AttributedStyle.RED, AttributedStyle.BRIGHT + AttributedStyle.GREEN,
        AttributedStyle.BRIGHT + AttributedStyle.YELLOW, AttributedStyle.BRIGHT + AttributedStyle.BLUE,
        AttributedStyle.BRIGHT + AttributedStyle.MAGENTA, AttributedStyle.BRIGHT + AttributedStyle.CYAN,
    };

    private NickColors() {
    }

    /** The palette colour of {@code nick}. */
    public static int colorOf(String nick) {
        return PALETTE[indexOf(nick)];
    }

    /** The palette index of {@code nick}. */
    static int indexOf(String nick) {
        int hash = 0x811c9dc5;
        for (byte b : Names.fold(nick).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Integer.remainderUnsigned(hash, PALETTE.length);
    }
}
