package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SessionMessageTest {

    private final TestNet net = new TestNet();

    @Test
    void channelMessageReachesOtherMembersButNotTheSender() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        a.say("PRIVMSG #C :hello all");
        assertTrue(a.take().isEmpty());
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG #c :hello all"), b.take());
        assertTrue(c.take().isEmpty());
        b.say("NOTICE #c :a notice");
        assertEquals(List.of(":bob!bob@host-s2 NOTICE #c :a notice"), a.take());
    }

    @Test
    void privateMessagesGoBothWays() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        a.say("PRIVMSG BOB :hi bob");
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG bob :hi bob"), b.take());
        b.say("PRIVMSG alice :hi alice");
        assertEquals(List.of(":bob!bob@host-s2 PRIVMSG alice :hi alice"), a.take());
        assertTrue(c.take().isEmpty());
    }

    @Test
    void multipleTargetsEachGetTheMessage() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        a.say("JOIN #c");
        c.say("JOIN #c");
        a.clear();
        c.clear();
        a.say("PRIVMSG bob,#c,nobody :multi");
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG bob :multi"), b.take());
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG #c :multi"), c.take());
        assertEquals(List.of(":forkchat.local 401 alice nobody :No such nick/channel"), a.take());
    }

    @Test
    void tooManyTargetsGet407() {
        TestNet.Client a = net.registered("s1", "alice");
        net.registered("s2", "bob");
        a.say("PRIVMSG bob,x1,x2,x3,x4 :hi");
        assertEquals(1, a.withCommand("407").size());
        assertTrue(a.received(":forkchat.local 407 alice x4 :Too many recipients"));
    }

    @Test
    void errorsForPrivmsg() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #c");
        a.say("PRIVMSG #c :let me in");
        a.say("PRIVMSG nobody :hi");
        a.say("PRIVMSG #none :hi");
        a.say("PRIVMSG");
        a.say("PRIVMSG bob");
        a.say("PRIVMSG bob :");
        assertEquals(List.of(
                ":forkchat.local 404 alice #c :Cannot send to channel",
                ":forkchat.local 401 alice nobody :No such nick/channel",
                ":forkchat.local 403 alice #none :No such channel",
                ":forkchat.local 411 alice :No recipient given (PRIVMSG)",
                ":forkchat.local 412 alice :No text to send",
                ":forkchat.local 412 alice :No text to send"), a.take());
        assertTrue(net.log.events().stream().noneMatch(e -> e instanceof Event.Message));
    }

    @Test
    void noticeNeverGetsErrorReplies() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #c");
        b.say("AWAY :gone");
        a.say("NOTICE #c :x");
        a.say("NOTICE nobody :x");
        a.say("NOTICE");
        a.say("NOTICE bob");
        a.say("NOTICE bob :away?");
        assertTrue(a.take().isEmpty());
    }

    @Test
    void privmsgToAnAwayUserTellsTheSender() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("AWAY :at lunch");
        b.clear();
        a.say("PRIVMSG bob :you there?");
        assertEquals(List.of(":forkchat.local 301 alice bob :at lunch"), a.take());
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG bob :you there?"), b.take());
    }

    @Test
    void echoMessageSendsTheSendersOwnMessagesBackWithTags() {
        TestNet.Client a = net.connect("s1");
        a.say("CAP LS 302");
        a.say("CAP REQ :echo-message server-time message-tags");
        a.say("NICK alice");
        a.say("USER alice 0 * :A");
        a.say("CAP END");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        a.say("PRIVMSG #c :echoed");
        Entry entry = net.log.entries().getLast();
        assertEquals(List.of("@time=2023-11-14T22:13:20.000Z;msgid=" + entry.offset()
                + " :alice!alice@host-s1 PRIVMSG #c :echoed"), a.take());
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG #c :echoed"), b.take(), "bob has no caps");
        a.say("NOTICE bob :private");
        assertEquals(1, a.take().size());
        assertEquals(List.of(":alice!alice@host-s1 NOTICE bob :private"), b.take());
    }

    @Test
    void messageToSelfArrivesOnceEvenWithEcho() {
        TestNet.Client a = net.connect("s1");
        a.say("CAP REQ echo-message");
        a.say("NICK alice");
        a.say("USER alice 0 * :A");
        a.say("CAP END");
        a.clear();
        a.say("PRIVMSG alice :note to self");
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG alice :note to self"), a.take());
    }

    @Test
    void messageTagsAloneAddsOnlyMsgid() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.connect("s2");
        b.say("CAP REQ :message-tags");
        b.say("NICK bob");
        b.say("USER bob 0 * :B");
        b.say("CAP END");
        b.clear();
        a.say("PRIVMSG bob :tagged");
        long offset = net.log.entries().getLast().offset();
        assertEquals(List.of("@msgid=" + offset + " :alice!alice@host-s1 PRIVMSG bob :tagged"), b.take());
    }

    @Test
    void longTextIsCutAtACharBoundarySoTheRelayedLineFits() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        String text = "é".repeat(240); // 480 bytes
        a.say("PRIVMSG bob :" + text);
        String line = b.take().getFirst();
        // 34 bytes of ":alice!alice@host-s1 PRIVMSG bob :" leave room for 238 two-byte characters
        assertEquals(":alice!alice@host-s1 PRIVMSG bob :" + "é".repeat(238), line);
        assertEquals(510, Utf8.length(line));
    }

    @Test
    void invalidUtf8IsReadAsLatin1AndRelayed() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        byte[] head = "PRIVMSG bob :caf".getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        line[head.length] = (byte) 0xe9;
        assertDoesNotThrow(() -> a.sayBytes(line));
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG bob :café"), b.take());
        assertDoesNotThrow(() -> a.sayBytes(new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2}));
        assertDoesNotThrow(() -> a.sayBytes(new byte[]{'@', (byte) 0xc3}));
    }

    @Test
    void controlCharactersThatWouldBreakTheLineAreNotRelayed() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("PRIVMSG bob :one\rQUIT\0x");
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG bob :one QUIT x"), b.take());
    }

    @Test
    void messagesAreDeliveredInLogOrderToEveryone() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        for (TestNet.Client x : List.of(a, b, c)) {
            x.say("JOIN #c");
        }
        a.clear();
        b.clear();
        c.clear();
        // Both write before anyone reads (no doorbell in between).
        a.session.onLine("PRIVMSG #c :from a".getBytes());
        b.session.onLine("PRIVMSG #c :from b".getBytes());
        net.pump();
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG #c :from a", ":bob!bob@host-s2 PRIVMSG #c :from b"),
                c.take());
        assertEquals(List.of(":bob!bob@host-s2 PRIVMSG #c :from b"), a.take());
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG #c :from a"), b.take());
    }
}
