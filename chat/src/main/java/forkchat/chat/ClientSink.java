package forkchat.chat;

/** Where a session's output goes: the connection to its client. */
public interface ClientSink {

    /** Queues one IRC line (without CR LF) for the client. Never blocks on the network. */
    void send(String line);

    /** Asks for the connection to be closed once every line queued before is written. */
    void close();
}
