package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WorldTest {

    private final World world = new World();
    private long offset;

    private void apply(Event e) {
        world.apply(new Entry(offset += 10, 1_000_000L + offset, 1, e));
    }

    private void connect(String session, String nick) {
        apply(new Event.Connect(session, nick, "u" + session, "h" + session, "Real " + nick));
    }

    @Test
    void connectMakesANickInUseCaseInsensitively() {
        connect("s1", "Alice");
        assertTrue(world.nickInUse("alice"));
        assertTrue(world.nickInUse("ALICE"));
        assertEquals("Alice", world.nickOf("s1"));
        assertEquals("Alice!us1@hs1", world.user("s1").mask());
        assertSame(world.user("s1"), world.userByNick("aLiCe"));
        assertEquals(1, world.userCount());
    }

    @Test
    void connectForATakenNickOrAKnownSessionIsIgnored() {
        connect("s1", "alice");
        connect("s2", "ALICE");
        assertNull(world.nickOf("s2"));
        connect("s1", "other");
        assertEquals("alice", world.nickOf("s1"));
        assertFalse(world.nickInUse("other"));
    }

    @Test
    void nickChangeMovesTheNickAndRefusesATakenOne() {
        connect("s1", "alice");
        connect("s2", "bob");
        apply(new Event.NickChange("s1", "alice", "carol"));
        assertEquals("carol", world.nickOf("s1"));
        assertFalse(world.nickInUse("alice"));
        apply(new Event.NickChange("s1", "carol", "BOB"));
        assertEquals("carol", world.nickOf("s1"));
        apply(new Event.NickChange("s1", "carol", "Carol"));
        assertEquals("Carol", world.nickOf("s1"), "a case change of one's own nick is allowed");
    }

    @Test
    void joinCreatesChannelsAndKeepsMembersInJoinOrder() {
        connect("s1", "alice");
        connect("s2", "bob");
        apply(new Event.Join("s2", "bob", "#Chat"));
        apply(new Event.Join("s1", "alice", "#chat"));
        apply(new Event.Join("s1", "alice", "#chat"));
        World.Channel ch = world.channel("#CHAT");
        assertEquals("#Chat", ch.name(), "the first joiner's spelling");
        assertEquals(List.of("bob", "alice"), ch.members().stream().map(World.User::nick).toList());
        assertTrue(world.isMember("s1", "#chat"));
        assertTrue(world.shareChannel("s1", "s2"));
        assertEquals(1, world.user("s1").channelCount());
    }

    @Test
    void channelDisappearsWithItsLastMember() {
        connect("s1", "alice");
        apply(new Event.Join("s1", "alice", "#a"));
        apply(new Event.Part("s1", "alice", "#a", "bye"));
        assertNull(world.channel("#a"));
        assertEquals(0, world.channelCount());
    }

    @Test
    void quitRemovesTheUserFromEverythingAndDuplicateQuitsAreIgnored() {
        connect("s1", "alice");
        connect("s2", "bob");
        apply(new Event.Join("s1", "alice", "#a"));
        apply(new Event.Join("s2", "bob", "#a"));
        apply(new Event.Join("s1", "alice", "#b"));
        apply(new Event.Quit("s1", "bye"));
        apply(new Event.Quit("s1", "bye"));
        apply(new Event.Quit("nobody", "bye"));
        assertNull(world.nickOf("s1"));
        assertFalse(world.nickInUse("alice"));
        assertEquals(List.of("bob"), world.channel("#a").members().stream().map(World.User::nick).toList());
        assertNull(world.channel("#b"));
    }

    @Test
    void eventsOfUnknownSessionsChangeNothing() {
        apply(new Event.Join("ghost", "g", "#a"));
        apply(new Event.Away("ghost", "x"));
        apply(new Event.NickChange("ghost", "g", "h"));
        assertEquals(0, world.channelCount());
        assertFalse(world.nickInUse("h"));
    }

    @Test
    void topicIsSetClearedAndRemembered() {
        connect("s1", "alice");
        apply(new Event.Join("s1", "alice", "#a"));
        apply(new Event.Topic("s1", "alice", "#a", "hello"));
        World.Topic t = world.channel("#a").topic();
        assertEquals("hello", t.text());
        assertEquals("alice", t.setBy());
        assertEquals(1_000_000L + offset, t.setAtMillis());
        apply(new Event.Part("s1", "alice", "#a", ""));
        assertEquals("hello", world.topicOf("#a").text());
        apply(new Event.Join("s1", "alice", "#A"));
        assertEquals("hello", world.channel("#a").topic().text(), "topic comes back with the channel");
        apply(new Event.Topic("s1", "alice", "#a", ""));
        assertNull(world.channel("#a").topic());
        assertNull(world.topicOf("#a"));
    }

    @Test
    void topicForAMissingChannelIsIgnored() {
        connect("s1", "alice");
        apply(new Event.Topic("s1", "alice", "#nowhere", "x"));
        assertNull(world.topicOf("#nowhere"));
    }

    @Test
    void awaySetsAndClears() {
        connect("s1", "alice");
        apply(new Event.Away("s1", "lunch"));
        assertEquals("lunch", world.user("s1").away());
        apply(new Event.Away("s1", ""));
        assertNull(world.user("s1").away());
    }

    @Test
    void serverStartResetsPresenceButKeepsTopics() {
        connect("s1", "alice");
        apply(new Event.Join("s1", "alice", "#a"));
        apply(new Event.Topic("s1", "alice", "#a", "kept"));
        apply(new Event.ServerStart("srv"));
        assertEquals(0, world.userCount());
        assertEquals(0, world.channelCount());
        assertFalse(world.nickInUse("alice"));
        assertEquals("kept", world.topicOf("#a").text());
        connect("s9", "alice");
        assertEquals("alice", world.nickOf("s9"));
        assertEquals(offset, world.lastOffset());
    }

    /** Everything a query can see, as text, for comparing two worlds. */
    private static String describe(World w) {
        StringBuilder b = new StringBuilder("last=" + w.lastOffset() + "\n");
        w.users().stream().sorted(java.util.Comparator.comparing(World.User::session)).forEach(u ->
                b.append("user ").append(u.session()).append(' ').append(u.mask()).append(" :").append(u.realname())
                        .append(" away=").append(u.away()).append(" in ").append(w.channelKeysOf(u.session()))
                        .append('\n'));
        for (World.Channel ch : w.channels()) {
            b.append("channel ").append(ch.name()).append(" created=").append(ch.createdMillis()).append(" topic=")
                    .append(ch.topic()).append(" members=")
                    .append(ch.members().stream().map(World.User::nick).toList()).append('\n');
        }
        for (String name : List.of("#a", "#b", "#gone", "#never")) {
            b.append("topic ").append(name).append('=').append(w.topicOf(name)).append('\n');
        }
        return b.toString();
    }

    @Test
    void aSnapshotRestoresEveryAnswerAndFoldsOnAlike() {
        connect("s1", "alice");
        connect("s2", "bob");
        connect("s3", "cy");
        apply(new Event.Join("s1", "alice", "#A"));
        apply(new Event.Join("s2", "bob", "#b"));
        apply(new Event.Join("s2", "bob", "#a"));
        apply(new Event.Join("s3", "cy", "#gone"));
        apply(new Event.Topic("s3", "cy", "#gone", "remembered after the channel empties"));
        apply(new Event.Part("s3", "cy", "#gone", "bye"));
        apply(new Event.Topic("s1", "alice", "#a", "the topic of #a"));
        apply(new Event.NickChange("s2", "bob", "Bobby"));
        apply(new Event.Away("s1", "lunch"));
        apply(new Event.Join("s1", "alice", "#b"));

        World copy = World.restore(world.snapshot());
        assertEquals(describe(world), describe(copy));
        assertTrue(copy.nickInUse("BOBBY") && !copy.nickInUse("bob"));
        assertTrue(copy.shareChannel("s1", "s2"));

        // both fold what comes next to the same state
        List<Event> next = List.of(new Event.Join("s3", "cy", "#gone"), new Event.Quit("s2", "gone"),
                new Event.Connect("s4", "bob", "u", "h", "R"), new Event.Part("s1", "alice", "#a", ""),
                new Event.Join("s4", "bob", "#a"));
        long at = offset;
        for (Event e : next) {
            apply(e);
        }
        for (Event e : next) {
            at += 10;
            copy.apply(new Entry(at, 1_000_000L + at, 1, e));
        }
        assertEquals(describe(world), describe(copy));
        assertEquals("remembered after the channel empties", copy.channel("#gone").topic().text());
    }

    @Test
    void aDamagedSnapshotIsRefusedNotHalfRestored() {
        connect("s1", "alice");
        apply(new Event.Join("s1", "alice", "#a"));
        byte[] good = world.snapshot();
        assertThrows(IllegalArgumentException.class, () -> World.restore(java.util.Arrays.copyOf(good, good.length - 3)));
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> World.restore(longer));
        byte[] version = good.clone();
        version[3] = 9;
        assertThrows(IllegalArgumentException.class, () -> World.restore(version));
        assertEquals(describe(world), describe(World.restore(good)));
    }
}
