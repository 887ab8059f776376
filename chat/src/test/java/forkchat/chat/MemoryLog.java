package forkchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Test fixture: one shared in-memory message log, standing in for the segmented log of module ipc. Entries get
 * increasing offsets (the encoded size plus a pretend 24-byte header, so the codec runs too).
 * Each {@link #journal()} is one reader/writer with its own cursor, as each worker has.
 */
final class MemoryLog {

    private final List<Entry> entries = new ArrayList<>();
    private final LongSupplier clock;
    private long nextOffset;
    /** How many of the next appends fail as if the disk were full. */
    int failAppends;

    MemoryLog(LongSupplier clock) {
        this.clock = clock;
    }

    synchronized Entry add(Event event) {
        if (failAppends > 0) {
            failAppends--;
            throw new JournalException("No space left on device", new java.io.IOException("ENOSPC"));
        }
        byte[] payload = EventCodec.encode(event);
        Entry entry = new Entry(nextOffset, clock.getAsLong(), 4242, EventCodec.decode(payload));
        nextOffset += 24 + payload.length;
        entries.add(entry);
        return entry;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    synchronized List<Event> events() {
        return entries.stream().map(Entry::event).toList();
    }

    Journal journal() {
        return new MemoryJournal();
    }

    /** A journal over this log with its own cursor. */
    final class MemoryJournal implements Journal {
        private int cursor;

        @Override
        public void append(Event event) {
            add(event);
        }

        @Override
        public boolean appendIf(Consumer<Entry> deliver, Supplier<Event> decide) {
            synchronized (MemoryLog.this) {
                catchUp(deliver);
                Event event = decide.get();
                if (event == null) {
                    return false;
                }
                add(event);
                return true;
            }
        }

        @Override
        public void catchUp(Consumer<Entry> deliver) {
            while (true) {
                Entry next;
                synchronized (MemoryLog.this) {
                    if (cursor >= entries.size()) {
                        return;
                    }
                    next = entries.get(cursor++);
                }
                deliver.accept(next);
            }
        }

        @Override
        public List<Entry> history(long before, int limit, Predicate<Event> wanted) {
            List<Entry> found = new ArrayList<>();
            synchronized (MemoryLog.this) {
                for (int i = entries.size() - 1; i >= 0 && found.size() < limit; i--) {
                    Entry e = entries.get(i);
                    if (e.offset() < before && wanted.test(e.event())) {
                        found.add(e);
                    }
                }
            }
            return found.reversed();
        }
    }
}
