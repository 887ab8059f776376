package forkchat.chat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Accounts mode: what an account missed while away is delivered when it next connects. */
class OfflineDeliveryTest {

    private TestNet net = TestNet.withAccounts();

    @BeforeEach
    void accounts() {
        addAccounts(net);
    }

    private static void addAccounts(TestNet n) {
        n.addAccount("alice", "a");
        n.addAccount("bob", "b");
        n.addAccount("carol", "c");
    }

    /** The lines alice gets after her welcome burst (which ends with 422). */
    private static List<String> afterWelcome(TestNet.Client c) {
        return afterWelcome(c, "alice");
    }

    private static List<String> afterWelcome(TestNet.Client c, String nick) {
        List<String> lines = c.take();
        int end = lines.indexOf(":forkchat.local 422 " + nick + " :MOTD File is missing");
        assertTrue(end >= 0, lines.toString());
        return lines.subList(end + 1, lines.size());
    }

    private TestNet.Client login(String id, String nick, String password) {
        TestNet.Client c = net.connect(id);
        c.say("PASS " + password);
        c.say("NICK " + nick);
        c.say("USER " + nick + " 0 * :" + nick);
        assertTrue(c.session.isRegistered(), c.lines.toString());
        return c;
    }

    @Test
    void aPrivateMessageToAnOfflineAccountIsKeptAndDeliveredAtTheNextLogin() {
        TestNet.Client b = net.loggedIn("s1", "bob", "b");
        b.say("PRIVMSG alice :are you there?");
        assertEquals(List.of(
                ":forkchat.local 301 bob alice :Not connected: the message will be delivered when alice connects"),
                b.take());
        net.advance(5_000);
        b.say("NOTICE ALICE :a notice too");
        assertTrue(b.take().isEmpty(), "NOTICE gets no reply");
        net.advance(60_000);
        TestNet.Client a = login("s2", "alice", "a");
        assertEquals(List.of(
                ":forkchat.local NOTICE alice :2 messages sent while you were away:",
                ":bob!bob@host-s1 PRIVMSG alice :[2023-11-14 22:13:20 UTC] are you there?",
                ":bob!bob@host-s1 NOTICE alice :[2023-11-14 22:13:25 UTC] a notice too"), afterWelcome(a));
    }

    @Test
    void aMessageToANickThatIsNoAccountStillGets401() {
        TestNet.Client b = net.loggedIn("s1", "bob", "b");
        b.say("PRIVMSG mallory :hi");
        assertEquals(List.of(":forkchat.local 401 bob mallory :No such nick/channel"), b.take());
    }

    @Test
    void channelsAreRejoinedAndWhatWasSaidThereSinceTheDepartureIsDelivered() {
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        a.say("JOIN #tea,#cards,#croquet");
        b.say("JOIN #tea,#cards,#croquet");
        a.say("PART #cards :bored");
        b.say("PRIVMSG #tea :seen live");
        a.say("QUIT :nap");
        net.advance(1_000);
        b.say("PRIVMSG #tea :missed one");
        b.say("PRIVMSG #cards :not for alice: she had left");
        b.say("PRIVMSG #croquet :\u0001ACTION swings\u0001");
        b.say("PRIVMSG #croquet :\u0001VERSION\u0001");
        net.advance(1_000);
        TestNet.Client back = login("s3", "alice", "a");
        assertEquals(List.of(
                ":alice!alice@host-s3 JOIN #tea",
                ":forkchat.local 353 alice = #tea :bob alice",
                ":forkchat.local 366 alice #tea :End of /NAMES list",
                ":alice!alice@host-s3 JOIN #croquet",
                ":forkchat.local 353 alice = #croquet :bob alice",
                ":forkchat.local 366 alice #croquet :End of /NAMES list",
                ":forkchat.local NOTICE alice :2 messages sent while you were away:",
                ":bob!bob@host-s2 PRIVMSG #tea :[2023-11-14 22:13:21 UTC] missed one",
                ":bob!bob@host-s2 PRIVMSG #croquet :\u0001ACTION [2023-11-14 22:13:21 UTC] swings\u0001"),
                afterWelcome(back));
        assertTrue(back.world.isMember("s3", "#tea"));
        assertFalse(back.world.isMember("s3", "#cards"));
        List<Event> joins = net.log.events().stream()
                .filter(e -> e instanceof Event.Join j && j.session().equals("s3")).toList();
        assertEquals(List.of(new Event.Join("s3", "alice", "#tea"), new Event.Join("s3", "alice", "#croquet")), joins);
        assertTrue(b.received(":alice!alice@host-s3 JOIN #tea"), "the others see a normal JOIN");
    }

    @Test
    void withServerTimeTheOriginalTimeIsATagAndTheTextIsUntouched() {
        TestNet.Client b = net.loggedIn("s1", "bob", "b");
        b.say("PRIVMSG alice :tagged");
        TestNet.Client a = net.connect("s2");
        a.say("CAP REQ :server-time");
        a.say("PASS a");
        a.say("NICK alice");
        a.say("USER alice 0 * :A");
        a.say("CAP END");
        assertEquals("@time=2023-11-14T22:13:20.000Z :bob!bob@host-s1 PRIVMSG alice :tagged", a.lines.getLast());
    }

    @Test
    void messagesSeenLiveAreNotDeliveredAgain() {
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        a.say("JOIN #tea");
        b.say("JOIN #tea");
        b.say("PRIVMSG alice :live private");
        b.say("PRIVMSG #tea :live public");
        a.say("QUIT");
        TestNet.Client back = login("s3", "alice", "a");
        List<String> after = afterWelcome(back);
        assertEquals(List.of(
                ":alice!alice@host-s3 JOIN #tea",
                ":forkchat.local 353 alice = #tea :bob alice",
                ":forkchat.local 366 alice #tea :End of /NAMES list"), after, "no history replay either");
    }

    @Test
    void deliveryIsBoundedByOfflineDeliveryMaxKeepingTheMostRecent() {
        net = new TestNet(TestNet.config(AuthMode.ACCOUNTS, 3, 0, 10, 10_000));
        addAccounts(net);
        TestNet.Client b = net.loggedIn("s1", "bob", "b");
        for (int i = 1; i <= 5; i++) {
            b.say("PRIVMSG alice :m" + i);
        }
        TestNet.Client a = login("s2", "alice", "a");
        List<String> after = afterWelcome(a);
        assertEquals(":forkchat.local NOTICE alice :The last 3 messages sent while you were away:", after.getFirst());
        assertEquals(List.of("m3", "m4", "m5"), after.subList(1, 4).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList());
    }

    @Test
    void offlineDeliveryMaxZeroTurnsItOff() {
        net = new TestNet(TestNet.config(AuthMode.ACCOUNTS, 0, 500, 10, 10_000));
        addAccounts(net);
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        a.say("JOIN #tea");
        a.say("QUIT");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        b.say("PRIVMSG alice :hello");
        assertEquals(List.of(":forkchat.local 401 bob alice :No such nick/channel"), b.take());
        TestNet.Client back = login("s3", "alice", "a");
        assertTrue(afterWelcome(back).isEmpty());
    }

    @Test
    void deliveryIsCorrectAcrossADaemonRestart() {
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        a.say("JOIN #tea");
        b.say("JOIN #tea");
        b.say("PRIVMSG #tea :before the restart, alice was there");
        // The daemon dies with both online (no Quit written) and starts again.
        net.log.add(new Event.ServerStart("forkchat.local"));
        net.pump();
        assertTrue(a.closed);
        assertTrue(b.closed);
        net.advance(1_000);
        // Session ids start again in the new run: bob's new session reuses alice's old id.
        TestNet.Client b2 = net.loggedIn("s1", "bob", "b");
        b2.say("JOIN #tea");
        b2.say("PRIVMSG #tea :after the restart");
        b2.say("PRIVMSG alice :private, after the restart");
        b2.say("PART #tea");
        b2.say("JOIN #tea");
        TestNet.Client back = login("s2", "alice", "a");
        assertEquals(List.of(
                ":alice!alice@host-s2 JOIN #tea",
                ":forkchat.local 353 alice = #tea :bob alice",
                ":forkchat.local 366 alice #tea :End of /NAMES list",
                ":forkchat.local NOTICE alice :2 messages sent while you were away:",
                ":bob!bob@host-s1 PRIVMSG #tea :[2023-11-14 22:13:21 UTC] after the restart",
                ":bob!bob@host-s1 PRIVMSG alice :[2023-11-14 22:13:21 UTC] private, after the restart"),
                afterWelcome(back));
    }

    @Test
    void theDepartureIsTheQuitEvenWhenARestartFollowed() {
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        a.say("JOIN #tea");
        b.say("JOIN #tea");
        a.say("QUIT");
        b.say("PRIVMSG #tea :between her quit and the restart");
        net.log.add(new Event.ServerStart("forkchat.local"));
        net.pump();
        TestNet.Client back = login("s3", "alice", "a");
        List<String> after = afterWelcome(back);
        assertTrue(after.contains(":forkchat.local NOTICE alice :1 message sent while you were away:"),
                after.toString());
        assertTrue(after.getLast().endsWith("between her quit and the restart"), after.toString());
        assertEquals(":alice!alice@host-s3 JOIN #tea", after.getFirst(), "rejoined though #tea is empty now");
    }

    @Test
    void aFirstLoginGetsThePrivateMessagesKeptForTheAccount() {
        TestNet.Client b = net.loggedIn("s1", "bob", "b");
        b.say("JOIN #tea");
        b.say("PRIVMSG carol :welcome, carol");
        b.say("PRIVMSG #tea :no channel for a first login");
        TestNet.Client c = login("s2", "carol", "c");
        assertEquals(List.of(
                ":forkchat.local NOTICE carol :1 message sent while you were away:",
                ":bob!bob@host-s1 PRIVMSG carol :[2023-11-14 22:13:20 UTC] welcome, carol"), afterWelcome(c, "carol"));
    }

    @Test
    void aDeadWorkersQuitWrittenByTheSupervisorIsADepartureToo() {
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        a.say("JOIN #tea");
        b.say("JOIN #tea");
        net.log.add(new Event.Quit("s1", "Worker died"));
        net.pump();
        b.say("PRIVMSG #tea :after her worker died");
        TestNet.Client back = login("s3", "alice", "a");
        List<String> after = afterWelcome(back);
        assertEquals(":alice!alice@host-s3 JOIN #tea", after.getFirst());
        assertTrue(after.getLast().endsWith("after her worker died"), after.toString());
    }

    @Test
    void theOpenModeDeliversNothingAndKeepsNothing() {
        TestNet open = new TestNet();
        TestNet.Client a = open.registered("s1", "alice");
        a.say("JOIN #tea");
        a.say("QUIT");
        TestNet.Client b = open.registered("s2", "bob");
        b.say("JOIN #tea");
        b.say("PRIVMSG #tea :hello");
        b.say("PRIVMSG alice :hello");
        assertEquals(List.of(":forkchat.local 401 bob alice :No such nick/channel"), b.withCommand("401"));
        TestNet.Client back = open.connect("s3");
        back.say("NICK alice");
        back.say("USER alice 0 * :A");
        assertTrue(afterWelcome(back).isEmpty());
        assertFalse(back.world.isMember("s3", "#tea"));
    }

    @Test
    void aJoinAfterwardsReplaysHistoryAsUsual() {
        TestNet.Client a = net.loggedIn("s1", "alice", "a");
        TestNet.Client b = net.loggedIn("s2", "bob", "b");
        a.say("JOIN #tea");
        b.say("JOIN #tea,#cards");
        b.say("PRIVMSG #cards :history");
        a.say("QUIT");
        TestNet.Client back = login("s3", "alice", "a");
        back.clear();
        back.say("JOIN #cards");
        assertTrue(back.lines.getLast().endsWith(" PRIVMSG #cards :[2023-11-14 22:13:20 UTC] history"),
                back.lines.toString());
    }
}
