package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Event;
import forkchat.ipc.Durability;
import forkchat.ipc.MessageLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal over a real log: what is appended, and which appends ring the other readers. */
class LogJournalTest {

    @TempDir
    Path dir;

    @Test
    void appendsRingExceptForEventsThatWakeNobody() throws IOException {
        AtomicInteger rings = new AtomicInteger();
        try (LogJournal writer = new LogJournal(MessageLog.open(dir, Durability.NEVER), rings::incrementAndGet);
             LogJournal reader = new LogJournal(MessageLog.open(dir, Durability.NEVER), () -> { })) {
            writer.append(new Event.Connect("s1", "alice", "a", "h", "Alice"));
            assertEquals(0, rings.get(), "a registration wakes nobody");
            writer.append(new Event.Away("s1", "out"));
            assertEquals(0, rings.get(), "nor does an AWAY");
            writer.append(new Event.Join("s1", "alice", "#c"));
            assertEquals(1, rings.get());
            assertTrue(writer.appendIf(e -> { }, () -> new Event.Message("s1", "alice!a@h", false, "#c", "hi")));
            assertEquals(2, rings.get());
            assertTrue(writer.appendIf(e -> { }, () -> new Event.Connect("s2", "bob", "b", "h", "Bob")));
            assertEquals(2, rings.get(), "a claimed nick wakes nobody either");
            assertFalse(writer.appendIf(e -> { }, () -> null));
            assertEquals(2, rings.get(), "nothing appended, nothing rung");

            List<Event> read = new ArrayList<>();
            reader.catchUp(e -> read.add(e.event()));
            assertEquals(5, read.size(), "every event is in the log, rung or not: " + read);
            assertEquals(new Event.Connect("s2", "bob", "b", "h", "Bob"), read.get(4));
        }
    }
}
