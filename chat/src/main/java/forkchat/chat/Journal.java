package forkchat.chat;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The session's view of the message log: the only way the chat core reads or writes it. The
 * worker implements it over the real flock-locked log; tests implement it in memory. A journal
 * has a cursor: the entries it has delivered so far.
 */
public interface Journal {

    /** Appends {@code event}. It is delivered by a later {@link #catchUp}. */
    void append(Event event) throws JournalException;

    /**
     * Atomic check-and-append (nick claims): under the log's exclusive lock, delivers every entry
     * not yet delivered to {@code deliver}, then asks {@code decide}; if it returns an event,
     * appends it (delivered by a later catchUp). Returns whether an event was appended.
     */
    boolean appendIf(Consumer<Entry> deliver, Supplier<Event> decide) throws JournalException;

    /** Delivers every entry after the cursor, in log order, and advances the cursor. */
    void catchUp(Consumer<Entry> deliver) throws JournalException;

    /**
     * The last {@code limit} entries before offset {@code before} whose event matches
     * {@code wanted}, oldest first (history replay). Never throws for a damaged log: returns what
     * it could read.
     */
    List<Entry> history(long before, int limit, Predicate<Event> wanted);
}
