package forkchat.chat;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Passes every call to another journal; a test overrides the calls it breaks or holds back. */
class ForwardingJournal implements Journal {

    final Journal real;

    ForwardingJournal(Journal real) {
        this.real = real;
    }

    @Override
    public void append(Event event) {
        real.append(event);
    }

    @Override
    public boolean appendIf(Consumer<Entry> deliver, Supplier<Event> decide) {
        return real.appendIf(deliver, decide);
    }

    @Override
    public void catchUp(Consumer<Entry> deliver) {
        real.catchUp(deliver);
    }

    @Override
    public List<Entry> history(long before, int limit, Predicate<Event> wanted) {
        return real.history(before, limit, wanted);
    }
}
