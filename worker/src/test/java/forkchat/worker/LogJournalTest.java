package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.chat.Event;
import forkchat.ipc.Doorbell;
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

    @Test
    void aChannelsRecordRingsItsListenersAndAJoinListensBeforeItIsInTheLog() throws IOException {
        List<String> seen = new ArrayList<>();
        try (LogJournal reader = new LogJournal(MessageLog.open(dir, Durability.NEVER), () -> { })) {
            int[] read = {0};
            Doorbell recording = new Doorbell() {
                @Override
                public void ring() {
                    seen.add("ring everyone");
                }

                @Override
                public void ring(String key) {
                    seen.add(key == null ? "ring everyone" : "ring " + key);
                }

                @Override
                public void listen(String key) {
                    reader.catchUp(e -> read[0]++);
                    seen.add("listen " + key + " with " + read[0] + " records in the log");
                }
            };
            try (LogJournal writer = new LogJournal(MessageLog.open(dir, Durability.NEVER), recording)) {
                writer.append(new Event.Connect("s1", "alice", "a", "h", "Alice"));
                writer.append(new Event.Join("s1", "alice", "#Chan"));
                writer.append(new Event.Message("s1", "alice!a@h", false, "#CHAN", "to the channel"));
                writer.append(new Event.Message("s1", "alice!a@h", true, "bob", "to a nick"));
                writer.append(new Event.Topic("s1", "alice", "#chan", "a topic"));
                writer.append(new Event.Part("s1", "alice", "#chan", "bye"));
                writer.append(new Event.NickChange("s1", "alice", "alicia"));
                writer.append(new Event.Quit("s1", "done"));
            }
        }
        String chan = forkchat.chat.Names.fold("#chan");
        assertEquals(List.of(
                "listen " + chan + " with 1 records in the log", // the Connect only: the Join is not in yet
                "ring " + chan,
                "ring " + chan, // the target, folded
                "ring everyone", // a private message: the target's sessions, wherever they are
                "ring " + chan,
                "ring " + chan,
                "ring everyone", // a nick change: everyone sharing a channel
                "ring everyone"), seen);
    }
}
