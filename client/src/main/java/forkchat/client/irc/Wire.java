package forkchat.client.irc;

/**
 * The session's way to the server: one IRC line at a time (without CR LF). Implementations
 * write it whole or fail; a failed write is noticed by the reader, which sees the connection end.
 */
@FunctionalInterface
public interface Wire {

    void send(String line);
}
