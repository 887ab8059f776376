package forkchat.chat;

/** The log could not be written or read (disk full, I/O error). Nothing half-written remains. */
public class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
