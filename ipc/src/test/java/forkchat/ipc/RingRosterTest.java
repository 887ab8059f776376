package forkchat.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring roster on a real mapped file, and targeted rings with real signals to real processes. */
class RingRosterTest {

    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Two keys whose bits differ, so that a listener of one is not a false positive of the other. */
    private static final String A = "#alpha";
    private static final String B = distinctFrom(A);

    private static String distinctFrom(String key) {
        for (int i = 0; ; i++) {
            String other = "#beta" + i;
            if (RingRoster.bit(other) != RingRoster.bit(key)) {
                return other;
            }
        }
    }

    @Test
    void aListenerIsFoundByItsKeyOnlyAndEveryMappingSeesIt() throws IOException {
        Path file = dir.resolve("ring-roster");
        try (RingRoster writer = RingRoster.create(file, 8); RingRoster reader = RingRoster.open(file)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            int s1 = writer.claim(101);
            int s2 = reader.claim(102);
            assertNotEquals(s1, s2);
            writer.listen(s1, A);
            reader.listen(s2, B);
            writer.listen(s2, A);
            assertArrayEquals(new long[] {101, 102}, reader.listeners(A).pids());
            assertArrayEquals(new long[] {102}, writer.listeners(B).pids());
            assertEquals(2, reader.listeners(A).held());
            assertFalse(writer.overflowed());
        }
    }

    @Test
    void aReleasedSlotIsClaimedAgainWithNothingOfItsPastHolder() throws IOException {
        try (RingRoster r = RingRoster.create(dir.resolve("ring-roster"), 2)) {
            int s = r.claim(201);
            r.listen(s, A);
            r.release(s, 999); // not the holder: nothing happens
            assertArrayEquals(new long[] {201}, r.listeners(A).pids());
            r.releasePid(201); // the supervisor, for a killed worker
            assertArrayEquals(new long[0], r.listeners(A).pids());
            assertEquals(s, r.claim(202), "the freed slot is taken first");
            assertArrayEquals(new long[0], r.listeners(A).pids(), "the past holder's keys went with it");
            assertEquals(1, r.listeners(A).held());
        }
    }

    @Test
    void aFullRosterOverflowsForGood() throws IOException {
        try (RingRoster r = RingRoster.create(dir.resolve("ring-roster"), 2)) {
            assertTrue(r.claim(1) >= 0);
            assertTrue(r.claim(2) >= 0);
            assertFalse(r.overflowed());
            assertEquals(-1, r.claim(3));
            assertTrue(r.overflowed());
            r.releasePid(1);
            assertTrue(r.overflowed(), "some worker may still lack a slot: rings stay with the group");
        }
    }

    @Test
    void aNewRosterReplacesTheOldAndGarbageIsRefused() throws IOException {
        Path file = dir.resolve("ring-roster");
        try (RingRoster old = RingRoster.create(file, 4)) {
            old.listen(old.claim(7), A);
        }
        try (RingRoster fresh = RingRoster.create(file, 4)) {
            assertArrayEquals(new long[0], fresh.listeners(A).pids());
            assertEquals(0, fresh.listeners(A).held());
        }
        Files.write(file, new byte[200]);
        IOException e = assertThrows(IOException.class, () -> RingRoster.open(file));
        assertTrue(e.getMessage().contains("not a ring roster"), e.getMessage());
        assertThrows(IOException.class, () -> RingRoster.open(dir.resolve("missing")));
    }

    @Test
    void aTargetedRingReachesTheKeysListenersAndTheRingerAndNoStranger() throws Exception {
        Path file = dir.resolve("ring-roster");
        List<ChildJvm> children = new ArrayList<>();
        Process stranger = new ProcessBuilder("sleep", "120").start();
        try (RingRoster roster = RingRoster.create(file, 16)) {
            // ringer listens for A; two listen for B; three for neither (a bigger group than the
            // listeners, or the doorbell would ring the whole group as the cheaper way)
            String[] keys = {A, B, B, "#c", "#c", "#c"};
            ChildJvm leader = ChildJvm.start(Children.RosterListener.class, "lead", file.toString(), keys[0]);
            children.add(leader);
            leader.expect("READY", STEP);
            int pgid = (int) leader.pid();
            for (int i = 1; i < keys.length; i++) {
                ChildJvm c = ChildJvm.start(Children.RosterListener.class, String.valueOf(pgid), file.toString(), keys[i]);
                children.add(c);
                c.expect("READY", STEP);
            }
            // a process outside the group whose pid sits in a slot listening for B: a slot left
            // behind by a dead worker whose pid was reused. SIGUSR1 would kill it.
            roster.listen(roster.claim(stranger.pid()), B);

            SignalDoorbell asLeader = new SignalDoorbell(pgid, roster, pgid);
            asLeader.ring(B);
            assertEquals("RUNG 1", children.get(0).expect("RUNG", STEP), "the ringer itself");
            assertEquals("RUNG 1", children.get(1).expect("RUNG", STEP));
            assertEquals("RUNG 1", children.get(2).expect("RUNG", STEP));
            for (int i = 3; i < keys.length; i++) {
                children.get(i).send("COUNT");
                assertEquals("RINGS 0", children.get(i).expect("RINGS", STEP), "listens for another channel");
            }
            assertTrue(stranger.isAlive(), "not in the group: never signalled");

            asLeader.ring(null); // a record for everyone: the whole group
            for (ChildJvm c : children) {
                c.expect("RUNG", STEP);
            }
            assertFalse(stranger.waitFor(0, TimeUnit.SECONDS));
        } finally {
            stranger.destroyForcibly();
            for (ChildJvm c : children) {
                c.close();
            }
        }
    }
}
