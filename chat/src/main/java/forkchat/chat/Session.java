package forkchat.chat;

import java.util.function.LongSupplier;

/**
 * One client's IRC session as a pure state machine ("sans-IO"). It reads lines, writes lines to a
 * {@link ClientSink}, and reads and writes the log only through a {@link Journal}. Not
 * thread-safe: its host serialises every call (one lock per session).
 * CONTRACT ONLY: implemented by the chat work.
 */
public final class Session {

    /**
     * @param world     the fold, already caught up to the journal's cursor
     * @param sessionId the connection's id, unique within this run of the daemon
     * @param host      the client's address as shown in nick!user@host
     * @param clock     milliseconds (System::currentTimeMillis in production)
     */
    public Session(ChatConfig config, World world, Journal journal, ClientSink out, SessionObserver observer,
                   String sessionId, String host, LongSupplier clock) {
        throw new UnsupportedOperationException("contract");
    }

    /** A whole line from the client, without its line ending. */
    public void onLine(byte[] line) {
        throw new UnsupportedOperationException("contract");
    }

    /** The framer discarded a line that was too long: 417, the connection stays. */
    public void onLineTooLong() {
        throw new UnsupportedOperationException("contract");
    }

    /** Reads and delivers every new entry of the journal (on a doorbell ring or timeout). */
    public void catchUp() {
        throw new UnsupportedOperationException("contract");
    }

    /** Timers: registration timeout, PING keepalive and ping timeout. Called at least once a second. */
    public void tick() {
        throw new UnsupportedOperationException("contract");
    }

    /** The client's connection ended (EOF or error): appends its Quit if registered; ends the session. */
    public void onDisconnect(String reason) {
        throw new UnsupportedOperationException("contract");
    }

    /** The server stops: sends ERROR :reason, appends the Quit, closes. */
    public void onServerShutdown(String reason) {
        throw new UnsupportedOperationException("contract");
    }

    public boolean isClosed() {
        throw new UnsupportedOperationException("contract");
    }

    public boolean isRegistered() {
        throw new UnsupportedOperationException("contract");
    }

    /** The current nick, or null before one was accepted. */
    public String nick() {
        throw new UnsupportedOperationException("contract");
    }
}
