package forkchat.chat;

import java.nio.ByteBuffer;

/**
 * Splits a client's byte stream into IRC lines (LF or CR LF; a lone CR is also accepted as an
 * end of line by many servers, not here: only LF ends a line and a trailing CR is dropped).
 * A line longer than the limit (512 bytes with CR LF, plus up to 4096 bytes of message tags
 * when the line starts with '@') is discarded up to its LF and reported once as too long.
 * Memory stays bounded whatever the input. CONTRACT ONLY: implemented by the chat work.
 */
public final class LineFramer {

    /** Receives what the framer finds. */
    public interface Handler {
        /** One whole line without its line ending (may be empty; may be invalid UTF-8). */
        void line(byte[] line);

        /** A line exceeded the limit and was discarded. */
        void tooLong();
    }

    public LineFramer(Handler handler) {
        throw new UnsupportedOperationException("contract");
    }

    /** Feeds bytes (position to limit of {@code bytes}, consumed). */
    public void feed(ByteBuffer bytes) {
        throw new UnsupportedOperationException("contract");
    }
}
