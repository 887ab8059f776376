package forkchat.chat;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits a client's byte stream into IRC lines (LF or CR LF; a lone CR is also accepted as an
 * end of line by many servers, not here: only LF ends a line and a trailing CR is dropped).
 * A line longer than the limit (512 bytes with CR LF, plus up to 4096 bytes of message tags
 * when the line starts with '@') is discarded up to its LF and reported once as too long.
 * Memory stays bounded whatever the input: one fixed buffer of {@link #MAX_TAGGED_LINE} bytes.
 *
 * <p>Counting: a line's bytes plus its CR LF (or LF) may be at most {@link #MAX_LINE}, or
 * {@link #MAX_TAGGED_LINE} when its first byte is '@' (the tag allowance is applied to the whole
 * line rather than to the tag section alone: simpler, and never stricter than the spec). The
 * report comes as soon as the limit is passed, so the 417 reaches the client without waiting for
 * the end of the oversized line; the rest of that line is then skipped silently.
 */
public final class LineFramer {

    /** Longest line, CR LF included. */
    public static final int MAX_LINE = 512;

    /** Longest line that starts with '@' (message tags), CR LF included. */
    public static final int MAX_TAGGED_LINE = MAX_LINE + 4096;

    /** Receives what the framer finds. */
    public interface Handler {
        /** One whole line without its line ending (may be empty; may be invalid UTF-8). */
        void line(byte[] line);

        /** A line exceeded the limit and was discarded. */
        void tooLong();
    }

    private final Handler handler;
    private final byte[] buffer = new byte[MAX_TAGGED_LINE];
    private int length;
    private boolean discarding;

    public LineFramer(Handler handler) {
        if (handler == null) {
            throw new NullPointerException("handler");
        }
        this.handler = handler;
    }

    /** Feeds bytes (position to limit of {@code bytes}, consumed). */
    public void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                if (discarding) {
                    discarding = false;
                } else {
                    int end = length;
                    if (end > 0 && buffer[end - 1] == '\r') {
                        end--;
                    }
                    byte[] line = Arrays.copyOf(buffer, end);
                    length = 0;
                    handler.line(line);
                }
                length = 0;
                continue;
            }
            if (discarding) {
                continue;
            }
            boolean tagged = length > 0 ? buffer[0] == '@' : b == '@';
            int limit = tagged ? MAX_TAGGED_LINE : MAX_LINE;
            // The line so far plus this byte plus at least the LF must fit.
            if (length + 2 > limit) {
                discarding = true;
                length = 0;
                handler.tooLong();
                continue;
            }
            buffer[length++] = b;
        }
    }

    /** Bytes of an unfinished line held back (for tests and diagnostics). */
    public int pending() {
        return length;
    }
}
