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
}
