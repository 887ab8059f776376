package forkchat.client.irc;

/**
 * Makes text from the network safe to print: mIRC formatting codes (bold, colours, reverse...)
 * are removed and every other control character is dropped, so that nobody on a channel can
 * send escape sequences to the user's terminal. A tab becomes a space.
 */
public final class PlainText {

    private static final char BOLD = 0x02;
    private static final char COLOR = 0x03;
    private static final char HEX_COLOR = 0x04;
    private static final char RESET = 0x0F;
    private static final char MONOSPACE = 0x11;
    private static final char REVERSE = 0x16;
    private static final char ITALIC = 0x1D;
    private static final char STRIKE = 0x1E;
    private static final char UNDERLINE = 0x1F;

    private PlainText() {
    }

    /** {@code text} without formatting codes and control characters. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        if (!needsCleaning(text)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case COLOR -> i = skipColor(text, i, false);
                case HEX_COLOR -> i = skipColor(text, i, true);
                case BOLD, RESET, MONOSPACE, REVERSE, ITALIC, STRIKE, UNDERLINE -> {
                }
                case '\t' -> sb.append(' ');
                default -> {
                    if (!isControl(c)) {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static boolean needsCleaning(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }

    /** Index of the last character of a colour code starting at {@code i} (fg[,bg]). */
    private static int skipColor(String text, int i, boolean hex) {
        int max = hex ? 6 : 2;
        int j = skipDigits(text, i + 1, max, hex);
        if (j > i + 1 && j + 1 < text.length() && text.charAt(j) == ','
                && skipDigits(text, j + 1, max, hex) > j + 1) {
            j = skipDigits(text, j + 1, max, hex);
        }
        return j - 1;
    }

    private static int skipDigits(String text, int from, int max, boolean hex) {
        int j = from;
        while (j < text.length() && j - from < max && isDigit(text.charAt(j), hex)) {
            j++;
        }
        return j;
    }

    private static boolean isDigit(char c, boolean hex) {
        return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    }
}
