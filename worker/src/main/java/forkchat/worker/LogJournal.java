package forkchat.worker;

import forkchat.chat.Entry;
import forkchat.chat.Event;
import forkchat.chat.EventCodec;
import forkchat.chat.Journal;
import forkchat.chat.JournalException;
import forkchat.chat.Names;
import forkchat.ipc.Doorbell;
import forkchat.ipc.LogEntry;
import forkchat.ipc.MessageLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat core's {@link Journal} over the real {@link MessageLog}: events are encoded with
 * {@link EventCodec}, and a successful append rings the {@link Doorbell} so every other reader
 * looks at the log, unless the event would make none of them act ({@link Event#wakesOthers()}:
 * a registration, an AWAY), which each reads before its next command. A record that concerns one
 * channel's members only (a message to it, a Join, a Part, a Topic: who sees what is
 * {@code Delivery}'s) rings only the readers listening for that channel, which a reader starts
 * doing before it appends its Join ({@link Doorbell#listen}). A record that passes its checksum but does not decode (written by a
 * newer version, say) is skipped with a warning, never delivered half-understood.
 */
public final class LogJournal implements Journal, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogJournal.class);

    /**
     * History replay and offline delivery read at most this much of the log backwards; log
     * retention by size never removes what lies within it.
     */
    public static final long HISTORY_SCAN_BYTES = 64L << 20;

    private final MessageLog messages;
    private final Doorbell doorbell;

    public LogJournal(MessageLog messages, Doorbell doorbell) {
        this.messages = messages;
        this.doorbell = doorbell;
    }

    @Override
    public void append(Event event) {
        listenBeforeJoining(event);
        try {
            messages.append(EventCodec.encode(event));
        } catch (IOException e) {
            throw new JournalException("cannot append to the message log: " + e.getMessage(), e);
        }
        if (event.wakesOthers()) {
            doorbell.ring(audience(event));
        }
    }

    /** A Join's channel is listened for before the Join is in the log: no later record can miss this reader. */
    private void listenBeforeJoining(Event event) {
        if (event instanceof Event.Join) {
            doorbell.listen(audience(event));
        }
    }

    /**
     * The folded name of the one channel whose members alone act on {@code event}, or null when
     * others may (a private message: the target's other sessions; a Quit or a nick change:
     * everyone sharing a channel).
     */
    static String audience(Event event) {
        return switch (event) {
            case Event.Message m -> Names.isChannel(m.target()) ? Names.fold(m.target()) : null;
            case Event.Join j -> Names.fold(j.channel());
            case Event.Part p -> Names.fold(p.channel());
            case Event.Topic t -> Names.fold(t.channel());
            default -> null;
        };
    }

    @Override
    public boolean appendIf(Consumer<Entry> deliver, Supplier<Event> decide) {
        boolean appended;
        Event[] decided = new Event[1];
        try {
            appended = messages.appendIf(entry -> decodeInto(entry, deliver), () -> {
                Event event = decided[0] = decide.get();
                listenBeforeJoining(event);
                return event == null ? null : EventCodec.encode(event);
            }).isPresent();
        } catch (IOException e) {
            throw new JournalException("cannot append to the message log: " + e.getMessage(), e);
        }
        if (appended && decided[0].wakesOthers()) {
            doorbell.ring(audience(decided[0]));
        }
        return appended;
    }

    @Override
    public void catchUp(Consumer<Entry> deliver) {
        try {
            messages.readNew(entry -> decodeInto(entry, deliver));
        } catch (IOException e) {
            throw new JournalException("cannot read the message log: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Entry> history(long before, int limit, Predicate<Event> wanted) {
        List<Entry> out = new ArrayList<>();
        // each record is decoded once, by the filter; the ones it keeps are picked up by offset
        java.util.Map<Long, Entry> kept = new java.util.HashMap<>();
        try {
            for (LogEntry raw : messages.readBackward(before, limit, raw -> {
                Entry e = decode(raw);
                if (e != null && wanted.test(e.event())) {
                    kept.put(raw.offset(), e);
                    return true;
                }
                return false;
            }, HISTORY_SCAN_BYTES)) {
                out.add(kept.get(raw.offset()));
            }
        } catch (IOException e) {
            log.warn("history: cannot read the message log: {}", e.getMessage());
        }
        return out;
    }

    /** Whether a read had to skip records that log retention removed before they were read. */
    public boolean lostRecords() {
        return messages.lostRecords();
    }

    /** Closes the log's descriptors. */
    @Override
    public void close() {
        try {
            messages.close();
        } catch (IOException e) {
            log.debug("closing the message log: {}", e.getMessage());
        }
    }

    private static void decodeInto(LogEntry raw, Consumer<Entry> deliver) {
        Entry entry = decode(raw);
        if (entry != null) {
            deliver.accept(entry);
        }
    }

    private static Entry decode(LogEntry raw) {
        try {
            return new Entry(raw.offset(), raw.timeMillis(), raw.pid(), EventCodec.decode(raw.payload()));
        } catch (IllegalArgumentException e) {
            log.warn("skipping undecodable record at offset {}: {}", raw.offset(), e.getMessage());
            return null;
        }
    }
}
