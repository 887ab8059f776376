package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SessionQueryTest {

    private final TestNet net = new TestNet();

    @Test
    void whoOnAChannelListsItsMembers() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        b.say("AWAY :brb");
        a.clear();
        a.say("WHO #C");
        assertEquals(List.of(
                ":forkchat.local 352 alice #c alice host-s1 forkchat.local alice H :0 Real alice",
                ":forkchat.local 352 alice #c bob host-s2 forkchat.local bob G :0 Real bob",
                ":forkchat.local 315 alice #c :End of /WHO list"), a.take());
    }

    @Test
    void whoOnANickAnswersForThatUser() {
        TestNet.Client a = net.registered("s1", "alice");
        net.registered("s2", "bob");
        a.say("WHO bob");
        assertEquals(List.of(
                ":forkchat.local 352 alice * bob host-s2 forkchat.local bob H :0 Real bob",
                ":forkchat.local 315 alice bob :End of /WHO list"), a.take());
        a.say("WHO nobody");
        assertEquals(List.of(":forkchat.local 315 alice nobody :End of /WHO list"), a.take());
        a.say("WHO");
        assertEquals(List.of(":forkchat.local 315 alice * :End of /WHO list"), a.take());
    }

    @Test
    void whoisAnswersUserChannelsServerAwayAndEnd() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #x,#y");
        b.say("AWAY :out");
        a.say("WHOIS BOB");
        assertEquals(List.of(
                ":forkchat.local 311 alice bob bob host-s2 * :Real bob",
                ":forkchat.local 319 alice bob :#x #y",
                ":forkchat.local 312 alice bob forkchat.local :forkchat",
                ":forkchat.local 301 alice bob :out",
                ":forkchat.local 318 alice bob :End of /WHOIS list"), a.take());
        a.say("WHOIS forkchat.local bob");
        assertEquals(5, a.take().size());
    }

    @Test
    void aRegistrationAndAnAwayRungForNobodyAreSeenByTheNextCommand() {
        // Connect and Away wake no other session (Event#wakesOthers): nothing rings a's session
        // here, and its next command reads them first.
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.connect("s2");
        b.session.onLine("NICK bob".getBytes());
        b.session.onLine("USER bob 0 * :Real bob".getBytes());
        b.session.onLine("AWAY :out".getBytes());
        assertFalse(new Event.Connect("s2", "bob", "bob", "h", "r").wakesOthers());
        assertFalse(new Event.Away("s2", "out").wakesOthers());
        assertTrue(new Event.Join("s2", "bob", "#c").wakesOthers());
        assertEquals(List.of(), a.take());
        a.session.onLine("WHOIS bob".getBytes());
        assertEquals(List.of(
                ":forkchat.local 311 alice bob bob host-s2 * :Real bob",
                ":forkchat.local 312 alice bob forkchat.local :forkchat",
                ":forkchat.local 301 alice bob :out",
                ":forkchat.local 318 alice bob :End of /WHOIS list"), a.take());
    }

    @Test
    void whoisForAnUnknownNickGets401And318() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("WHOIS ghost");
        assertEquals(List.of(
                ":forkchat.local 401 alice ghost :No such nick/channel",
                ":forkchat.local 318 alice ghost :End of /WHOIS list"), a.take());
        a.say("WHOIS");
        assertEquals(List.of(":forkchat.local 431 alice :No nickname given"), a.take());
    }

    @Test
    void awaySetsAndClearsAndIsSeenByOthers() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("AWAY :lunch");
        assertEquals(List.of(":forkchat.local 306 alice :You have been marked as being away"), a.take());
        assertEquals("lunch", b.world.user("s1").away());
        assertTrue(b.take().isEmpty(), "AWAY is not broadcast");
        a.say("AWAY");
        assertEquals(List.of(":forkchat.local 305 alice :You are no longer marked as being away"), a.take());
        assertNull(b.world.user("s1").away());
    }

    @Test
    void userModeQueriesAndChanges() {
        TestNet.Client a = net.registered("s1", "alice");
        net.registered("s2", "bob");
        a.say("MODE alice");
        assertEquals(List.of(":forkchat.local 221 alice +"), a.take());
        a.say("MODE alice +i");
        assertEquals(List.of(":alice MODE alice :+i"), a.take());
        a.say("MODE alice");
        assertEquals(List.of(":forkchat.local 221 alice +i"), a.take());
        a.say("MODE alice +x");
        assertEquals(List.of(":forkchat.local 501 alice :Unknown MODE flag"), a.take());
        a.say("MODE bob");
        a.say("MODE bob +i");
        assertEquals(List.of(
                ":forkchat.local 502 alice :Can't change mode for other users",
                ":forkchat.local 502 alice :Can't change mode for other users"), a.take());
        a.say("MODE ghost");
        assertEquals(List.of(":forkchat.local 401 alice ghost :No such nick/channel"), a.take());
    }

    @Test
    void unknownCommandGets421AndNumericsFromClientsToo() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("FROBNICATE x");
        a.say("001 x");
        a.say("knock #c");
        assertEquals(List.of(
                ":forkchat.local 421 alice FROBNICATE :Unknown command",
                ":forkchat.local 421 alice 001 :Unknown command",
                ":forkchat.local 421 alice KNOCK :Unknown command"), a.take());
    }

    @Test
    void commandsAreCaseInsensitiveAndTagsFromClientsAreIgnored() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("@label=x;+typing=active ping :tok");
        assertEquals(List.of(":forkchat.local PONG forkchat.local :tok"), a.take());
    }

    @Test
    void blankAndUnparsableLinesAreIgnored() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("");
        a.say("   ");
        a.say("@only=tags");
        a.say(":source-only");
        assertTrue(a.take().isEmpty());
    }
}
