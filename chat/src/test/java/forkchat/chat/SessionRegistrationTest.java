package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

class SessionRegistrationTest {

    private final TestNet net = new TestNet();

    @Test
    void nickAndUserRegisterWithTheWelcomeBurst() {
        TestNet.Client c = net.connect("s1");
        c.say("NICK alice");
        assertFalse(c.session.isRegistered());
        assertEquals("alice", c.session.nick());
        c.say("USER al 0 * :Alice Liddell");
        assertTrue(c.session.isRegistered());
        List<String> lines = c.take();
        assertEquals(":forkchat.local 001 alice :Welcome to the forkchat IRC Network alice!al@host-s1", lines.get(0));
        assertEquals(":forkchat.local 002 alice :Your host is forkchat.local, running version forkchat-0.1",
                lines.get(1));
        assertEquals(":forkchat.local 003 alice :This server was created today", lines.get(2));
        assertEquals(":forkchat.local 004 alice forkchat.local forkchat-0.1 i n", lines.get(3));
        List<String> isupport = lines.stream().filter(TestNet.command("005")).toList();
        assertFalse(isupport.isEmpty());
        String all = String.join(" ", isupport);
        for (String token : List.of("CASEMAPPING=ascii", "CHANTYPES=#", "CHANMODES=,,,n", "PREFIX=()",
                "NICKLEN=30", "CHANNELLEN=50", "TOPICLEN=390", "NETWORK=forkchat", "CHANLIMIT=#:50")) {
            assertTrue(all.contains(" " + token + " "), token + " in " + all);
        }
        for (String line : isupport) {
            assertTrue(line.endsWith(" :are supported by this server"));
            assertTrue(IrcMessage.parse(line).paramCount() <= 15);
        }
        assertEquals(":forkchat.local 422 alice :MOTD File is missing", lines.getLast());
        assertEquals(List.of("registered alice"), c.events);
        assertEquals(new Event.Connect("s1", "alice", "al", "host-s1", "Alice Liddell"), net.log.events().getFirst());
    }

    @Test
    void userBeforeNickWorksToo() {
        TestNet.Client c = net.connect("s1");
        c.say("USER al 0 * :A");
        assertFalse(c.session.isRegistered());
        c.say("NICK alice");
        assertTrue(c.session.isRegistered());
    }

    @Test
    void motdIsSentWhenConfigured() {
        TestNet withMotd = new TestNet(TestNet.config(50, 50, List.of("Be nice.", "Have fun.")));
        TestNet.Client c = withMotd.connect("s1");
        c.say("NICK alice");
        c.say("USER al 0 * :A");
        List<String> lines = c.take();
        int start = lines.indexOf(":forkchat.local 375 alice :- forkchat.local Message of the day - ");
        assertTrue(start > 0, lines.toString());
        assertEquals(":forkchat.local 372 alice :- Be nice.", lines.get(start + 1));
        assertEquals(":forkchat.local 372 alice :- Have fun.", lines.get(start + 2));
        assertEquals(":forkchat.local 376 alice :End of /MOTD command.", lines.get(start + 3));
    }

    @Test
    void commandsBeforeRegistrationGet451() {
        TestNet.Client c = net.connect("s1");
        c.say("JOIN #a");
        c.say("PRIVMSG bob :hi");
        c.say("FOO");
        assertEquals(List.of(
                ":forkchat.local 451 * :You have not registered",
                ":forkchat.local 451 * :You have not registered",
                ":forkchat.local 451 * :You have not registered"), c.take());
        assertTrue(net.log.events().isEmpty());
    }

    @Test
    void pingWorksBeforeRegistration() {
        TestNet.Client c = net.connect("s1");
        c.say("PING :abc def");
        assertEquals(List.of(":forkchat.local PONG forkchat.local :abc def"), c.take());
    }

    @Test
    void nickInUseOnAnotherWorkerGets433() {
        net.registered("s1", "alice");
        TestNet.Client c = net.connect("s2");
        c.say("NICK ALICE");
        assertEquals(List.of(":forkchat.local 433 * ALICE :Nickname is already in use"), c.take());
        assertNull(c.session.nick());
        c.say("USER x 0 * :x");
        assertFalse(c.session.isRegistered());
        c.say("NICK alice2");
        assertTrue(c.session.isRegistered());
    }

    @Test
    void nickTakenBetweenNickAndUserIsRefusedAtTheClaim() {
        TestNet.Client b = net.connect("s2");
        b.say("NICK alice");
        assertEquals("alice", b.session.nick());
        net.registered("s1", "alice");
        b.say("USER b 0 * :B");
        assertFalse(b.session.isRegistered());
        assertEquals(List.of(":forkchat.local 433 alice alice :Nickname is already in use"), b.take());
        b.say("NICK bob");
        assertTrue(b.session.isRegistered());
        assertEquals("bob", b.session.nick());
    }

    @Test
    void staleWorldStillCannotDoubleClaimANick() {
        // b reads the log before each command, but another worker can claim the nick between that
        // read and b's claim: with b's reads held back, its world never sees alice, and the claim
        // still catches up under the lock.
        TestNet.Client a = net.connect("s1");
        a.session.onLine("NICK alice".getBytes());
        a.session.onLine("USER a 0 * :A".getBytes());
        assertTrue(a.session.isRegistered());
        Journal behind = new ForwardingJournal(net.log.journal()) {
            @Override
            public void catchUp(Consumer<Entry> deliver) {
                // held back: this world stays as it was
            }
        };
        CollectingSink sink = new CollectingSink();
        List<String> lines = sink.lines;
        Session b = new Session(net.config, new World(), behind, sink, SessionObserver.NONE, "s2", "h", net.clock::get);
        b.onLine("NICK alice".getBytes());
        assertEquals(List.of(), lines, "its world does not know alice: the nick looks free");
        b.onLine("USER b 0 * :B".getBytes());
        assertFalse(b.isRegistered());
        assertTrue(lines.contains(":forkchat.local 433 alice alice :Nickname is already in use"), lines::toString);
        assertEquals(1, net.log.events().stream().filter(e -> e instanceof Event.Connect).count());
    }

    @Test
    void badNicksGet432And431() {
        TestNet.Client c = net.connect("s1");
        c.say("NICK 9lives");
        c.say("NICK");
        c.say("NICK " + "a".repeat(31));
        assertEquals(List.of(
                ":forkchat.local 432 * 9lives :Erroneous nickname",
                ":forkchat.local 431 * :No nickname given",
                ":forkchat.local 432 * " + "a".repeat(31) + " :Erroneous nickname"), c.take());
    }

    @Test
    void userWithTooFewParamsGets461() {
        TestNet.Client c = net.connect("s1");
        c.say("USER onlyone");
        assertEquals(List.of(":forkchat.local 461 * USER :Not enough parameters"), c.take());
    }

    @Test
    void userAndPassAfterRegistrationGet462() {
        TestNet.Client c = net.registered("s1", "alice");
        c.say("USER a 0 * :A");
        c.say("PASS secret");
        assertEquals(List.of(
                ":forkchat.local 462 alice :You may not reregister",
                ":forkchat.local 462 alice :You may not reregister"), c.take());
    }

    @Test
    void passBeforeRegistrationIsAcceptedSilently() {
        TestNet.Client c = net.connect("s1");
        c.say("PASS whatever");
        assertTrue(c.take().isEmpty());
    }

    @Test
    void capLsHoldsRegistrationUntilCapEnd() {
        TestNet.Client c = net.connect("s1");
        c.say("CAP LS 302");
        assertEquals(List.of(":forkchat.local CAP * LS :server-time message-tags echo-message"), c.take());
        c.say("NICK alice");
        c.say("USER a 0 * :A");
        assertFalse(c.session.isRegistered());
        c.say("CAP REQ :server-time echo-message");
        assertEquals(List.of(":forkchat.local CAP alice ACK :server-time echo-message"), c.take());
        c.say("CAP LIST");
        assertEquals(List.of(":forkchat.local CAP alice LIST :server-time echo-message"), c.take());
        c.say("CAP END");
        assertTrue(c.session.isRegistered());
        assertEquals(302, c.session.capabilities().version());
    }

    @Test
    void capReqWithAnUnknownCapNaksTheWholeList() {
        TestNet.Client c = net.connect("s1");
        c.say("CAP REQ :server-time sasl");
        assertEquals(List.of(":forkchat.local CAP * NAK :server-time sasl"), c.take());
        assertFalse(c.session.capabilities().has("server-time"));
        c.say("CAP REQ :message-tags");
        c.say("CAP REQ :-message-tags");
        assertFalse(c.session.capabilities().has("message-tags"));
    }

    @Test
    void capReqAloneAlsoHoldsRegistration() {
        TestNet.Client c = net.connect("s1");
        c.say("NICK alice");
        c.say("CAP REQ :echo-message");
        c.say("USER a 0 * :A");
        assertFalse(c.session.isRegistered());
        c.say("CAP END");
        assertTrue(c.session.isRegistered());
    }

    @Test
    void unknownCapSubcommandGets410AndBareCapGets461() {
        TestNet.Client c = net.connect("s1");
        c.say("CAP FROB");
        c.say("CAP");
        assertEquals(List.of(
                ":forkchat.local 410 * FROB :Invalid CAP command",
                ":forkchat.local 461 * CAP :Not enough parameters"), c.take());
    }

    @Test
    void capAfterRegistrationDoesNotSuspendAnything() {
        TestNet.Client c = net.registered("s1", "alice");
        c.say("CAP LS");
        c.say("CAP REQ server-time");
        assertEquals(List.of(
                ":forkchat.local CAP alice LS :server-time message-tags echo-message",
                ":forkchat.local CAP alice ACK :server-time"), c.take());
        c.say("CAP END");
        assertTrue(c.take().isEmpty());
    }

    @Test
    void nickChangeIsSeenBySelfAndChannelPeersOnly() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        a.say("JOIN #x");
        b.say("JOIN #x");
        a.clear();
        b.clear();
        c.clear();
        a.say("NICK Alicia");
        assertEquals(List.of(":alice!alice@host-s1 NICK :Alicia"), a.take());
        assertEquals(List.of(":alice!alice@host-s1 NICK :Alicia"), b.take());
        assertTrue(c.take().isEmpty());
        assertEquals("Alicia", a.session.nick());
        assertTrue(a.events.contains("nick Alicia"));
        assertTrue(c.world.nickInUse("alicia"));
        assertFalse(c.world.nickInUse("alice"));
    }

    @Test
    void nickChangeToATakenNickGets433() {
        TestNet.Client a = net.registered("s1", "alice");
        net.registered("s2", "bob");
        a.say("NICK BOB");
        assertEquals(List.of(":forkchat.local 433 alice BOB :Nickname is already in use"), a.take());
        a.say("NICK bad!nick");
        assertEquals(List.of(":forkchat.local 432 alice bad!nick :Erroneous nickname"), a.take());
    }

    @Test
    void nickCaseChangeOfOwnNickIsAllowed() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("NICK ALICE");
        assertEquals(List.of(":alice!alice@host-s1 NICK :ALICE"), a.take());
        a.say("NICK ALICE");
        assertTrue(a.take().isEmpty(), "same nick: nothing happens");
    }
}
