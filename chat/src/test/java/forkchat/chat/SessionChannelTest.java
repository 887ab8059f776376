package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SessionChannelTest {

    private final TestNet net = new TestNet();

    @Test
    void joinSendsJoinNamesAndEndOfNames() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #Chat");
        assertEquals(List.of(
                ":alice!alice@host-s1 JOIN #Chat",
                ":forkchat.local 353 alice = #Chat :alice",
                ":forkchat.local 366 alice #Chat :End of /NAMES list"), a.take());
        assertEquals(new Event.Join("s1", "alice", "#Chat"), net.log.events().getLast());
    }

    @Test
    void secondJoinerSeesBothAndFirstSeesTheJoin() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #chat");
        a.clear();
        b.say("JOIN #CHAT");
        assertEquals(List.of(
                ":bob!bob@host-s2 JOIN #chat",
                ":forkchat.local 353 bob = #chat :alice bob",
                ":forkchat.local 366 bob #chat :End of /NAMES list"), b.take());
        assertEquals(List.of(":bob!bob@host-s2 JOIN #chat"), a.take());
    }

    @Test
    void joinSeveralChannelsAtOnceAndJoiningAgainIsIgnored() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #a,#b,#a");
        assertEquals(2, a.withCommand("JOIN").size());
        a.clear();
        a.say("JOIN #A");
        assertTrue(a.take().isEmpty());
        assertEquals(2, net.log.events().stream().filter(e -> e instanceof Event.Join).count());
    }

    @Test
    void joinWithABadNameGets403Or476() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN chat");
        a.say("JOIN #a:b");
        a.say("JOIN #" + "x".repeat(50));
        assertEquals(List.of(
                ":forkchat.local 403 alice chat :No such channel",
                ":forkchat.local 476 alice #a:b :Bad Channel Mask",
                ":forkchat.local 476 alice #" + "x".repeat(50) + " :Bad Channel Mask"), a.take());
    }

    @Test
    void joinWithoutParamsGets461() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN");
        assertEquals(List.of(":forkchat.local 461 alice JOIN :Not enough parameters"), a.take());
    }

    @Test
    void tooManyChannelsGets405() {
        TestNet small = new TestNet(TestNet.config(50, 2, List.of()));
        TestNet.Client a = small.registered("s1", "alice");
        a.say("JOIN #a,#b,#c");
        assertEquals(List.of(":forkchat.local 405 alice #c :You have joined too many channels"),
                a.withCommand("405"));
        assertEquals(2, a.world.user("s1").channelCount());
    }

    @Test
    void joinZeroPartsAllChannels() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #a,#b");
        b.say("JOIN #a");
        a.clear();
        b.clear();
        a.say("JOIN 0");
        assertEquals(List.of(":alice!alice@host-s1 PART #a", ":alice!alice@host-s1 PART #b"), a.take());
        assertEquals(List.of(":alice!alice@host-s1 PART #a"), b.take());
        assertEquals(0, a.world.user("s1").channelCount());
    }

    @Test
    void joinReplaysHistoryWithATextTimestampWithoutServerTime() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #chat");
        a.say("PRIVMSG #chat :one");
        net.advance(61_000);
        a.say("PRIVMSG #chat :\u0001ACTION waves\u0001");
        a.say("PRIVMSG #chat :\u0001VERSION\u0001");
        a.say("JOIN #other");
        a.say("PRIVMSG #other :elsewhere");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #chat");
        List<String> lines = b.take();
        assertEquals(List.of(
                ":bob!bob@host-s2 JOIN #chat",
                ":forkchat.local 353 bob = #chat :alice bob",
                ":forkchat.local 366 bob #chat :End of /NAMES list",
                ":alice!alice@host-s1 PRIVMSG #chat :[2023-11-14 22:13:20 UTC] one",
                ":alice!alice@host-s1 PRIVMSG #chat :\u0001ACTION [2023-11-14 22:14:21 UTC] waves\u0001"), lines);
    }

    @Test
    void joinReplaysHistoryWithTheOriginalTimeAsServerTime() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #chat");
        a.say("PRIVMSG #chat :one");
        a.say("NOTICE #chat :two");
        net.advance(5_000);
        TestNet.Client b = net.connect("s2");
        b.say("CAP LS 302");
        b.say("CAP REQ :server-time");
        b.say("NICK bob");
        b.say("USER bob 0 * :Bob");
        b.say("CAP END");
        b.clear();
        b.say("JOIN #chat");
        List<String> lines = b.take();
        assertEquals("@time=2023-11-14T22:13:25.000Z :bob!bob@host-s2 JOIN #chat", lines.getFirst());
        assertEquals(List.of(
                "@time=2023-11-14T22:13:20.000Z :alice!alice@host-s1 PRIVMSG #chat :one",
                "@time=2023-11-14T22:13:20.000Z :alice!alice@host-s1 NOTICE #chat :two"),
                lines.subList(lines.size() - 2, lines.size()));
    }

    @Test
    void historyIsLimitedToTheLastN() {
        TestNet two = new TestNet(TestNet.config(2, 50, List.of()));
        TestNet.Client a = two.registered("s1", "alice");
        a.say("JOIN #c");
        a.say("PRIVMSG #c :m1");
        a.say("PRIVMSG #c :m2");
        a.say("PRIVMSG #c :m3");
        TestNet.Client b = two.registered("s2", "bob");
        b.say("JOIN #c");
        List<String> privmsgs = b.withCommand("PRIVMSG");
        assertEquals(2, privmsgs.size());
        assertTrue(privmsgs.get(0).endsWith("m2"));
        assertTrue(privmsgs.get(1).endsWith("m3"));
    }

    @Test
    void noHistoryWhenConfiguredOff() {
        TestNet none = new TestNet(TestNet.config(0, 50, List.of()));
        TestNet.Client a = none.registered("s1", "alice");
        a.say("JOIN #c");
        a.say("PRIVMSG #c :m1");
        TestNet.Client b = none.registered("s2", "bob");
        b.say("JOIN #c");
        assertTrue(b.withCommand("PRIVMSG").isEmpty());
    }

    @Test
    void joinShowsTheTopicWhenSet() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #c");
        a.say("TOPIC #c :All about c");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #c");
        List<String> lines = b.take();
        assertEquals(":forkchat.local 332 bob #c :All about c", lines.get(1));
        assertEquals(":forkchat.local 333 bob #c alice 1700000000", lines.get(2));
    }

    @Test
    void partIsSeenByThePartnerAndThePeers() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        b.say("PART #c :see you");
        assertEquals(List.of(":bob!bob@host-s2 PART #c :see you"), a.take());
        assertEquals(List.of(":bob!bob@host-s2 PART #c :see you"), b.take());
        a.say("PART #C");
        assertEquals(List.of(":alice!alice@host-s1 PART #c"), a.take());
        assertTrue(b.take().isEmpty());
        assertNull(b.world.channel("#c"));
    }

    @Test
    void partErrors() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #c");
        a.say("PART #c");
        a.say("PART #nope");
        a.say("PART");
        assertEquals(List.of(
                ":forkchat.local 442 alice #c :You're not on that channel",
                ":forkchat.local 403 alice #nope :No such channel",
                ":forkchat.local 461 alice PART :Not enough parameters"), a.take());
    }

    @Test
    void topicSetIsSeenByMembersAndQueryAnswers() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        a.say("TOPIC #c");
        assertEquals(List.of(":forkchat.local 331 alice #c :No topic is set"), a.take());
        net.advance(1_000);
        b.say("TOPIC #c :new topic");
        assertEquals(List.of(":bob!bob@host-s2 TOPIC #c :new topic"), a.take());
        assertEquals(List.of(":bob!bob@host-s2 TOPIC #c :new topic"), b.take());
        assertTrue(c.take().isEmpty());
        c.say("TOPIC #c");
        assertEquals(List.of(
                ":forkchat.local 332 carol #c :new topic",
                ":forkchat.local 333 carol #c bob 1700000001"), c.take());
        c.say("TOPIC #c :hijack");
        assertEquals(List.of(":forkchat.local 442 carol #c :You're not on that channel"), c.take());
        c.say("TOPIC #none");
        assertEquals(List.of(":forkchat.local 403 carol #none :No such channel"), c.take());
        a.say("TOPIC #c :");
        assertEquals(List.of(":alice!alice@host-s1 TOPIC #c :"), a.take());
        assertNull(b.world.channel("#c").topic());
    }

    @Test
    void topicIsCutToTopicLen() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #c");
        a.say("TOPIC #c :" + "é".repeat(300));
        String text = a.world.channel("#c").topic().text();
        assertTrue(Utf8.length(text) <= 390);
        assertEquals(195, text.length());
    }

    @Test
    void namesListsMembersAndEndsUnknownChannels() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        a.say("NAMES #c,#none");
        assertEquals(List.of(
                ":forkchat.local 353 alice = #c :alice bob",
                ":forkchat.local 366 alice #c :End of /NAMES list",
                ":forkchat.local 366 alice #none :End of /NAMES list"), a.take());
        a.say("NAMES");
        assertEquals(List.of(":forkchat.local 366 alice * :End of /NAMES list"), a.take());
    }

    @Test
    void namesSplitsLongListsAcrossLines() {
        TestNet.Client first = net.registered("s0", "member00");
        first.say("JOIN #big");
        for (int i = 1; i < 40; i++) {
            TestNet.Client c = net.registered("s" + i, "member" + "x".repeat(20) + i);
            c.say("JOIN #big");
        }
        first.clear();
        first.say("NAMES #big");
        List<String> names = first.withCommand("353");
        assertTrue(names.size() > 1);
        int total = 0;
        for (String line : names) {
            assertTrue(Utf8.length(line) <= 510, line);
            total += IrcMessage.parse(line).param(3).split(" ").length;
        }
        assertEquals(40, total);
    }

    @Test
    void listShowsChannelsWithCountsAndTopics() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #a,#b");
        b.say("JOIN #a");
        a.say("TOPIC #b :bee");
        b.clear();
        b.say("LIST");
        assertEquals(List.of(
                ":forkchat.local 321 bob Channel :Users  Name",
                ":forkchat.local 322 bob #a 2 :",
                ":forkchat.local 322 bob #b 1 :bee",
                ":forkchat.local 323 bob :End of /LIST"), b.take());
        b.say("LIST #b");
        assertEquals(List.of(
                ":forkchat.local 321 bob Channel :Users  Name",
                ":forkchat.local 322 bob #b 1 :bee",
                ":forkchat.local 323 bob :End of /LIST"), b.take());
    }

    @Test
    void channelModeQueriesAreAnswered() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #c");
        a.clear();
        a.say("MODE #c");
        assertEquals(List.of(
                ":forkchat.local 324 alice #c +n",
                ":forkchat.local 329 alice #c 1700000000"), a.take());
        a.say("MODE #c b");
        a.say("MODE #c +b");
        assertEquals(List.of(
                ":forkchat.local 368 alice #c :End of channel ban list",
                ":forkchat.local 368 alice #c :End of channel ban list"), a.take());
        a.say("MODE #c +m");
        a.say("MODE #c +b nick!*@*");
        assertEquals(List.of(
                ":forkchat.local 482 alice #c :You're not channel operator",
                ":forkchat.local 482 alice #c :You're not channel operator"), a.take());
        a.say("MODE #none");
        assertEquals(List.of(":forkchat.local 403 alice #none :No such channel"), a.take());
        a.say("MODE");
        assertEquals(List.of(":forkchat.local 461 alice MODE :Not enough parameters"), a.take());
    }
}
