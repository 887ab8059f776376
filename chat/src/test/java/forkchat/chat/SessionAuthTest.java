package forkchat.chat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Accounts mode: SASL PLAIN, PASS, and who may register (or become) which nick. */
class SessionAuthTest {

    private final TestNet net = TestNet.withAccounts();

    @BeforeEach
    void accounts() {
        net.addAccount("alice", "wonderland");
        net.addAccount("bob", "builder");
    }

    private static String plain(String authzid, String authcid, String password) {
        String payload = authzid + "\0" + authcid + "\0" + password;
        return Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** CAP LS 302, CAP REQ :sasl, AUTHENTICATE PLAIN and the payload; returns what came back. */
    private List<String> sasl(TestNet.Client c, String account, String password) {
        c.say("CAP LS 302");
        c.say("CAP REQ :sasl");
        c.clear();
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("", account, password));
        return c.take();
    }

    private boolean connectInLog() {
        return net.log.events().stream().anyMatch(e -> e instanceof Event.Connect);
    }

    @Test
    void capLsOffersSaslOnlyInTheAccountsMode() {
        TestNet open = new TestNet();
        TestNet.Client o = open.connect("s1");
        o.say("CAP LS 302");
        assertEquals(List.of(":forkchat.local CAP * LS :server-time message-tags echo-message"), o.take());
        TestNet.Client a = net.connect("s1");
        a.say("CAP LS");
        assertEquals(List.of(":forkchat.local CAP * LS :server-time message-tags echo-message sasl"), a.take());
        TestNet.Client b = net.connect("s2");
        b.say("CAP LS 302");
        assertEquals(List.of(":forkchat.local CAP * LS :server-time message-tags echo-message sasl=PLAIN"), b.take());
        b.say("CAP REQ :sasl server-time");
        assertEquals(List.of(":forkchat.local CAP * ACK :sasl server-time"), b.take());
    }

    @Test
    void aConnectionWithoutTlsIsOfferedNoSaslAndItsLoginsAreRefusedUnchecked() {
        TestNet.Client c = net.connectInsecure("s1");
        c.say("CAP LS 302");
        assertEquals(List.of(":forkchat.local CAP * LS :server-time message-tags echo-message"), c.take());
        c.say("AUTHENTICATE PLAIN");
        assertEquals(List.of(":forkchat.local 904 * :SASL authentication failed: " + Login.TLS_REQUIRED), c.take());
        c.say("CAP END");
        c.say("PASS wonderland");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        assertEquals(List.of(":forkchat.local 464 alice :" + Login.TLS_REQUIRED,
                "ERROR :Closing Link: host-s1 (TLS required)"), c.take());
        assertTrue(c.closed);
        assertFalse(connectInLog());
        // the password was never checked: neither a success nor a failure was reported
        assertEquals(List.of("ended TLS required"), c.events);
    }

    @Test
    void loginsWithoutTlsAreAllowedWhenTheSettingSaysSo() {
        ChatConfig d = ChatConfig.defaults();
        TestNet lax = new TestNet(new ChatConfig(d.serverName(), d.network(), d.version(), d.createdAt(), d.motd(),
                d.historyOnJoin(), d.pingIntervalMillis(), d.pingTimeoutMillis(), d.registrationTimeoutMillis(),
                d.maxChannelsPerClient(), AuthMode.ACCOUNTS, d.offlineDeliveryMax(), d.floodLineCostMillis(),
                d.floodBurstLines(), d.floodExcessMillis(), false));
        lax.addAccount("alice", "wonderland");
        TestNet.Client c = lax.connectInsecure("s1");
        c.say("CAP LS 302");
        assertTrue(c.take().getFirst().endsWith("sasl=PLAIN"));
        c.say("CAP END");
        c.say("PASS wonderland");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        assertTrue(c.session.isRegistered());
    }

    @Test
    void theOpenModeNeedsNoTls() {
        TestNet.Client c = new TestNet().connectInsecure("s1");
        c.say("NICK anyone");
        c.say("USER a 0 * :A");
        assertTrue(c.session.isRegistered());
    }

    @Test
    void saslPlainWithTheRightPasswordRegisters() {
        TestNet.Client c = net.connect("s1");
        c.say("CAP LS 302");
        c.say("CAP REQ :sasl");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        c.clear();
        c.say("AUTHENTICATE PLAIN");
        assertEquals(List.of("AUTHENTICATE +"), c.take());
        c.say("AUTHENTICATE " + plain("", "alice", "wonderland"));
        assertEquals(List.of(
                ":forkchat.local 900 alice alice!al@host-s1 alice :You are now logged in as alice",
                ":forkchat.local 903 alice :SASL authentication successful"), c.take());
        assertEquals("alice", c.session.account());
        assertFalse(c.session.isRegistered(), "CAP negotiation still holds registration");
        c.say("CAP END");
        assertTrue(c.session.isRegistered());
        assertEquals(":forkchat.local 001 alice :Welcome to the forkchat IRC Network alice!al@host-s1",
                c.take().getFirst());
        assertEquals(List.of("authenticated alice", "registered alice"), c.events);
    }

    @Test
    void saslWithAWrongPasswordGets904AndNeverReaches001() {
        TestNet.Client c = net.connect("s1");
        c.say("NICK alice");
        assertEquals(List.of("AUTHENTICATE +", ":forkchat.local 904 alice :SASL authentication failed"),
                sasl(c, "alice", "looking-glass"));
        assertNull(c.session.account());
        c.say("USER al 0 * :Alice");
        c.say("CAP END");
        assertEquals(List.of(
                ":forkchat.local 904 alice :SASL authentication failed",
                "ERROR :Closing Link: host-s1 (Authentication required)"), c.take());
        assertTrue(c.closed);
        assertFalse(c.session.isRegistered());
        assertFalse(connectInLog());
        assertEquals(List.of("failed alice", "ended Authentication required"), c.events);
    }

    @Test
    void saslForAnUnknownAccountFailsLikeAWrongPassword() {
        TestNet.Client c = net.connect("s1");
        assertEquals(List.of("AUTHENTICATE +", ":forkchat.local 904 * :SASL authentication failed"),
                sasl(c, "mallory", "x"));
        assertEquals(List.of("failed mallory"), c.events);
    }

    @Test
    void saslAccountNamesIgnoreCaseLikeNicks() {
        TestNet.Client c = net.connect("s1");
        List<String> lines = sasl(c, "ALICE", "wonderland");
        assertTrue(lines.contains(":forkchat.local 903 * :SASL authentication successful"), lines.toString());
        c.say("NICK Alice");
        c.say("USER al 0 * :Alice");
        c.say("CAP END");
        assertTrue(c.session.isRegistered());
        assertEquals("Alice", c.session.nick());
    }

    @Test
    void authenticatedAsAliceCannotRegisterAsBob() {
        TestNet.Client c = net.connect("s1");
        sasl(c, "alice", "wonderland");
        c.say("NICK bob");
        assertEquals(List.of(":forkchat.local 432 * bob :Nickname must be your account name (alice)"), c.take());
        c.say("USER b 0 * :B");
        c.say("CAP END");
        assertFalse(c.session.isRegistered());
        assertFalse(c.closed, "the client may still send the right NICK");
        c.say("NICK alice");
        assertTrue(c.session.isRegistered());
        assertEquals("alice", c.session.nick());
    }

    @Test
    void aNickGivenBeforeSaslMustStillBeTheAccount() {
        TestNet.Client c = net.connect("s1");
        c.say("CAP LS 302");
        c.say("NICK bob");
        c.say("USER b 0 * :B");
        c.say("CAP REQ :sasl");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("alice", "alice", "wonderland"));
        c.clear();
        c.say("CAP END");
        assertEquals(List.of(":forkchat.local 432 bob bob :Nickname must be your account name (alice)"), c.take());
        assertFalse(c.session.isRegistered());
        assertFalse(connectInLog());
    }

    @Test
    void aLongPayloadArrivesIn400ByteChunks() {
        String password = "p".repeat(500);
        net.addAccount("alice", password);
        String payload = plain("", "alice", password);
        assertTrue(payload.length() > 400 && payload.length() < 800);
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + payload.substring(0, 400));
        assertEquals(List.of("AUTHENTICATE +"), c.take(), "a full chunk waits for more");
        c.say("AUTHENTICATE " + payload.substring(400));
        assertEquals("alice", c.session.account());
    }

    @Test
    void aPayloadOfExactly400BytesEndsWithAPlus() {
        // authzid empty, authcid "alice", then a password that makes the base64 exactly 400 bytes.
        String password = "x".repeat(300 - 7);
        net.addAccount("alice", password);
        String payload = plain("", "alice", password);
        assertEquals(400, payload.length());
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + payload);
        assertNull(c.session.account());
        c.say("AUTHENTICATE +");
        assertEquals("alice", c.session.account());
    }

    @Test
    void aChunkOver400BytesOrAnOversizedPayloadGets905() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.clear();
        c.say("AUTHENTICATE " + "A".repeat(401));
        assertEquals(List.of(":forkchat.local 905 * :SASL message too long"), c.take());
        c.say("AUTHENTICATE PLAIN");
        for (int i = 0; i < Sasl.MAX_PAYLOAD / Sasl.CHUNK; i++) {
            c.say("AUTHENTICATE " + "A".repeat(400));
        }
        c.clear();
        c.say("AUTHENTICATE " + "A".repeat(400));
        assertEquals(List.of(":forkchat.local 905 * :SASL message too long"), c.take());
        assertFalse(c.closed);
        assertTrue(c.events.isEmpty(), "no password was tried");
    }

    @Test
    void authenticateStarAborts() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.clear();
        c.say("AUTHENTICATE *");
        assertEquals(List.of(":forkchat.local 906 * :SASL authentication aborted"), c.take());
        c.say("AUTHENTICATE PLAIN");
        assertEquals(List.of("AUTHENTICATE +"), c.take(), "a new exchange may start");
    }

    @Test
    void anotherMechanismGets908And904() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE EXTERNAL");
        assertEquals(List.of(
                ":forkchat.local 908 * PLAIN :are available SASL mechanisms",
                ":forkchat.local 904 * :SASL authentication failed"), c.take());
        assertTrue(c.events.isEmpty(), "no password was tried: not a failed login");
        c.say("AUTHENTICATE PLAIN");
        assertEquals(List.of("AUTHENTICATE +"), c.take());
    }

    @Test
    void authenticateAfterSuccessGets907() {
        TestNet.Client c = net.connect("s1");
        sasl(c, "alice", "wonderland");
        c.say("AUTHENTICATE PLAIN");
        assertEquals(List.of(":forkchat.local 907 * :You have already authenticated using SASL"), c.take());
        TestNet.Client r = net.loggedIn("s2", "bob", "builder");
        r.say("AUTHENTICATE PLAIN");
        assertEquals(List.of(":forkchat.local 907 bob :You have already authenticated using SASL"), r.take());
    }

    @Test
    void anAuthorizationIdentityOtherThanTheAccountFails() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("bob", "alice", "wonderland"));
        assertTrue(c.received(":forkchat.local 904 * :SASL authentication failed"));
        assertNull(c.session.account());
    }

    @Test
    void malformedPayloadsFail() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE not*base64");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + Base64.getEncoder().encodeToString("alice wonderland".getBytes()));
        assertEquals(2, c.withCommand("904").size());
        assertEquals(List.of("failed null", "failed null"), c.events);
        assertFalse(c.closed);
    }

    @Test
    void aFailedNameIsReportedPrintableAndShort() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("", "ali\nce\u0007" + "x".repeat(100), "pw"));
        assertEquals(List.of("failed ali?ce?" + "x".repeat(64 - 7)), c.events);
    }

    @Test
    void threeFailedLoginsCloseTheConnection() {
        TestNet.Client c = net.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("", "alice", "1"));
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("", "alice", "2"));
        assertFalse(c.closed);
        c.clear();
        c.say("AUTHENTICATE PLAIN");
        c.say("AUTHENTICATE " + plain("", "alice", "3"));
        assertEquals(List.of(
                "AUTHENTICATE +",
                ":forkchat.local 904 * :SASL authentication failed",
                "ERROR :Closing Link: host-s1 (Too many failed authentication attempts)"), c.take());
        assertTrue(c.closed);
        assertEquals(3, c.events.stream().filter(e -> e.equals("failed alice")).count());
    }

    @Test
    void authenticateIsUnknownInTheOpenMode() {
        TestNet open = new TestNet();
        TestNet.Client c = open.connect("s1");
        c.say("AUTHENTICATE PLAIN");
        assertEquals(List.of(":forkchat.local 451 * :You have not registered"), c.take());
        TestNet.Client r = open.registered("s2", "alice");
        r.say("AUTHENTICATE PLAIN");
        assertEquals(List.of(":forkchat.local 421 alice AUTHENTICATE :Unknown command"), r.take());
        assertNull(r.session.account());
    }

    @Test
    void passWithTheRightPasswordRegisters() {
        TestNet.Client c = net.connect("s1");
        c.say("PASS wonderland");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        assertTrue(c.session.isRegistered());
        assertEquals("alice", c.session.account());
        assertTrue(c.lines.getFirst().startsWith(":forkchat.local 001 alice "));
        assertEquals(List.of("authenticated alice", "registered alice"), c.events);
    }

    @Test
    void passWithAWrongPasswordGets464AndErrorAndNever001() {
        TestNet.Client c = net.connect("s1");
        c.say("PASS looking-glass");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        assertEquals(List.of(
                ":forkchat.local 464 alice :Password incorrect",
                "ERROR :Closing Link: host-s1 (Bad password)"), c.take());
        assertTrue(c.closed);
        assertFalse(connectInLog());
        assertEquals(List.of("failed alice", "ended Bad password"), c.events);
    }

    @Test
    void passIsCheckedAgainstTheNickBeingRegistered() {
        TestNet.Client c = net.connect("s1");
        c.say("PASS wonderland");
        c.say("NICK bob");
        c.say("USER b 0 * :B");
        assertTrue(c.received(":forkchat.local 464 bob :Password incorrect"));
        assertTrue(c.closed);
        assertEquals("failed bob", c.events.getFirst());
    }

    @Test
    void noCredentialsGet464AndErrorAndNever001() {
        TestNet.Client c = net.connect("s1");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        assertEquals(List.of(
                ":forkchat.local 464 alice :Password required: this server uses accounts (SASL PLAIN or PASS)",
                "ERROR :Closing Link: host-s1 (Authentication required)"), c.take());
        assertTrue(c.closed);
        assertFalse(connectInLog());
        assertNull(c.session.account());
    }

    @Test
    void anUnknownAccountCannotRegisterEvenWithAFreeNick() {
        TestNet.Client c = net.connect("s1");
        c.say("PASS anything");
        c.say("NICK mallory");
        c.say("USER m 0 * :M");
        assertTrue(c.received(":forkchat.local 464 mallory :Password incorrect"));
        assertTrue(c.closed);
    }

    @Test
    void afterRegistrationTheNickMayOnlyChangeCase() {
        TestNet.Client c = net.loggedIn("s1", "alice", "wonderland");
        c.say("NICK ALICE");
        assertEquals(List.of(":alice!alice@host-s1 NICK :ALICE"), c.take());
        c.say("NICK carol");
        assertEquals(List.of(":forkchat.local 432 ALICE carol :Nickname must be your account name (alice)"), c.take());
        assertEquals("ALICE", c.session.nick());
    }

    @Test
    void anAccountAlreadyOnlineCannotRegisterTwice() {
        net.loggedIn("s1", "alice", "wonderland");
        TestNet.Client c = net.connect("s2");
        c.say("PASS wonderland");
        c.say("NICK alice");
        assertEquals(List.of(":forkchat.local 433 * alice :Nickname is already in use"), c.take());
        assertFalse(c.session.isRegistered());
    }

    @Test
    void passAfterSaslChangesNothing() {
        TestNet.Client c = net.connect("s1");
        sasl(c, "alice", "wonderland");
        c.say("PASS wrong");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        c.say("CAP END");
        assertTrue(c.session.isRegistered());
        assertEquals("alice", c.session.account());
    }

    @Test
    void theOpenModeAcceptsAnyPasswordAndKnowsNoAccount() {
        TestNet open = new TestNet();
        open.addAccount("alice", "wonderland");
        TestNet.Client c = open.connect("s1");
        c.say("PASS nonsense");
        c.say("NICK alice");
        c.say("USER al 0 * :Alice");
        assertTrue(c.session.isRegistered());
        assertNull(c.session.account());
    }
}
