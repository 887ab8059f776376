package forkchat.client.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationTest {

    @Test
    void opensWithCapLsNickAndUser() {
        Harness h = new Harness(new Identity("carol", "cuser", "Carol C", null, null), List.of("#lobby"));
        h.session.connected(h.wire);
        assertEquals(List.of("CAP LS 302", "NICK carol", "USER cuser 0 * :Carol C"), h.sent());
    }

    @Test
    void requestsOnlyOfferedUsefulCapsThenEndsNegotiation() {
        Harness h = new Harness("carol", "#lobby");
        h.session.connected(h.wire);
        h.take();
        h.server(":srv CAP * LS * :multi-prefix server-time", ":srv CAP * LS :message-tags echo-message");
        assertEquals(List.of("CAP REQ :server-time echo-message"), h.take());
        h.server(":srv CAP carol ACK :server-time echo-message");
        assertEquals(List.of("CAP END"), h.take());
        h.server(":srv 001 carol :Welcome carol!carol@host");
        assertTrue(h.session.isOnline());
        assertTrue(h.session.hasCap("echo-message"));
        assertEquals(List.of("JOIN #lobby"), h.take());
    }

    @Test
    void capNakStillEndsNegotiation() {
        Harness h = new Harness("carol");
        h.session.connected(h.wire);
        h.take();
        h.server(":srv CAP * LS :server-time", ":srv CAP * NAK :server-time");
        assertEquals(List.of("CAP REQ :server-time", "CAP END"), h.take());
    }

    @Test
    void serverWithoutCapRegistersAnyway() {
        Harness h = new Harness("carol", "#lobby");
        h.registeredWithoutCaps();
        assertTrue(h.session.isOnline());
        assertTrue(h.sent().contains("JOIN #lobby"));
    }

    @Test
    void takenNickDuringRegistrationTriesAlternatives() {
        Harness h = new Harness("carol");
        h.session.connected(h.wire);
        h.take();
        h.server(":srv 433 * carol :Nickname is already in use");
        assertEquals(List.of("NICK carol_"), h.take());
        h.server(":srv 433 * carol_ :Nickname is already in use");
        assertEquals(List.of("NICK carol__"), h.take());
        h.server(":srv 001 carol__ :Welcome");
        assertEquals("carol__", h.session.nick());
        assertTrue(h.session.isOnline());
    }

    @Test
    void givesUpWhenEveryAlternativeIsTaken() {
        Harness h = new Harness("carol");
        h.session.connected(h.wire);
        for (int i = 0; i <= AltNicks.MAX_ATTEMPTS; i++) {
            h.server(":srv 433 * x :Nickname is already in use");
        }
        assertNotNull(h.session.failure());
        assertFalse(h.session.wantsReconnect());
        assertTrue(h.sent().get(h.sent().size() - 1).startsWith("QUIT"));
    }

    @Test
    void alternativeNicksStayWithinTheLengthLimit() {
        String longNick = "a".repeat(30);
        assertEquals(30, AltNicks.next(longNick, 1).length());
        assertEquals("a".repeat(28) + "__", AltNicks.next(longNick, 2));
        assertEquals("carol3", AltNicks.next("carol", 3));
        assertNull(AltNicks.next("carol", AltNicks.MAX_ATTEMPTS + 1));
    }

    // ---- SASL PLAIN against a scripted server ----

    private static Harness withPassword(String password) {
        Harness h = new Harness(new Identity("carol", null, null, "carol-account", password), List.of("#lobby"));
        h.session.connected(h.wire);
        h.take();
        return h;
    }

    @Test
    void saslPlainAuthenticatesBeforeCapEnd() {
        Harness h = withPassword("s3cret");
        h.server(":srv CAP * LS :sasl=PLAIN,EXTERNAL server-time");
        assertEquals(List.of("CAP REQ :server-time sasl"), h.take());
        h.server(":srv CAP carol ACK :server-time sasl");
        assertEquals(List.of("AUTHENTICATE PLAIN"), h.take());
        h.server("AUTHENTICATE +");
        List<String> auth = h.take();
        assertEquals(1, auth.size());
        String payload = new String(Base64.getDecoder().decode(auth.get(0).substring("AUTHENTICATE ".length())),
                StandardCharsets.UTF_8);
        assertEquals("carol-account\0carol-account\0s3cret", payload);
        h.server(":srv 900 carol carol!carol@host carol-account :You are now logged in as carol-account",
                ":srv 903 carol :SASL authentication successful");
        assertEquals(List.of("CAP END"), h.take());
        h.server(":srv 001 carol :Welcome");
        assertTrue(h.session.isOnline());
        assertNull(h.session.failure());
    }

    @Test
    void saslFailureStopsWithoutReconnecting() {
        Harness h = withPassword("wrong");
        h.server(":srv CAP * LS :sasl", ":srv CAP carol ACK :sasl", "AUTHENTICATE +",
                ":srv 904 carol :SASL authentication failed");
        assertNotNull(h.session.failure());
        assertTrue(h.session.failure().contains("SASL authentication failed"));
        assertFalse(h.session.wantsReconnect());
        assertTrue(h.sent().get(h.sent().size() - 1).startsWith("QUIT"));
        assertFalse(h.sent().contains("CAP END"), "must not register unauthenticated");
        assertTrue(h.screen.dump().contains("SASL authentication failed"));
    }

    @Test
    void passwordButNoSaslOfferedIsAFailure() {
        Harness h = withPassword("pw");
        h.server(":srv CAP * LS :server-time echo-message");
        assertNotNull(h.session.failure());
        assertTrue(h.session.failure().contains("does not offer SASL"));
        assertFalse(h.sent().contains("CAP END"));
    }

    @Test
    void passwordButOnlyOtherMechanismsIsAFailure() {
        Harness h = withPassword("pw");
        h.server(":srv CAP * LS :sasl=EXTERNAL,SCRAM-SHA-256");
        assertTrue(h.session.failure().contains("PLAIN"));
    }

    @Test
    void passwordAndAServerThatKnowsNoCapIsAFailure() {
        Harness h = withPassword("pw");
        h.server(":srv 421 carol CAP :Unknown command");
        assertNotNull(h.session.failure());
    }

    @Test
    void saslAbortedAndTooLongAreFailures() {
        for (String code : List.of("905", "906", "902")) {
            Harness h = withPassword("pw");
            h.server(":srv CAP * LS :sasl", ":srv CAP carol ACK :sasl", ":srv " + code + " carol :nope");
            assertNotNull(h.session.failure(), code);
        }
    }

    @Test
    void alreadyAuthenticatedEndsNegotiation() {
        Harness h = withPassword("pw");
        h.server(":srv CAP * LS :sasl", ":srv CAP carol ACK :sasl", ":srv 907 carol :You have already authenticated");
        assertTrue(h.take().contains("CAP END"));
        assertNull(h.session.failure());
    }

    @Test
    void withoutPasswordSaslIsNeverRequested() {
        Harness h = new Harness("carol");
        h.session.connected(h.wire);
        h.take();
        h.server(":srv CAP * LS :sasl server-time");
        assertEquals(List.of("CAP REQ :server-time"), h.take());
    }

    @Test
    void reconnectClearsAFailureOnlyWhenAsked() {
        Harness h = withPassword("pw");
        h.server(":srv CAP * LS :server-time");
        assertFalse(h.session.wantsReconnect());
        h.session.clearFailure();
        assertTrue(h.session.wantsReconnect());
    }
}
