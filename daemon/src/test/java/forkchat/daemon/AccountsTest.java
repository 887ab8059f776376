package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth = accounts end to end: the admin commands, the store on disk, PASS and SASL PLAIN, offline delivery. */
class AccountsTest {

    @TempDir
    Path state;

    @Test
    void accountsCreatedWithTheAdminCommandLogInWithPassOrSaslAndNobodyElseDoes() throws Exception {
        assertEquals(0, user("correct horse battery", "add", "alice").exitValue());
        Path store = state.resolve("accounts");
        String text = Files.readString(store);
        assertFalse(text.contains("correct horse"), "no clear-text password on disk");
        assertTrue(text.contains("alice:$pbkdf2-sha256$600000$"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        Process list = user("", "list");
        assertEquals("alice", new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        assertEquals(65, user("short", "add", "bob").exitValue(), "a too short password is refused");

        try (DaemonProcess daemon = DaemonProcess.start(state, "auth=accounts", "pool_min_spare=2")) {
            try (IrcClient pass = new IrcClient(daemon.port(), "alice")) {
                pass.send("PASS :correct horse battery");
                pass.send("NICK alice");
                pass.send("USER alice 0 * :Alice");
                pass.expect(l -> l.contains(" 001 alice "));
            }
            try (IrcClient wrong = new IrcClient(daemon.port(), "alice")) {
                wrong.send("PASS :guess");
                wrong.send("NICK alice");
                wrong.send("USER alice 0 * :Mallory");
                List<String> said = wrong.awaitClosed(IrcClient.WAIT);
                assertTrue(said.stream().anyMatch(l -> l.contains(" 464 ")), said.toString());
                assertTrue(said.stream().noneMatch(l -> l.contains(" 001 ")), said.toString());
                assertTrue(said.get(said.size() - 1).startsWith("ERROR"), said.toString());
            }
            try (IrcClient none = new IrcClient(daemon.port(), "alice")) {
                none.send("NICK alice");
                none.send("USER alice 0 * :nobody");
                List<String> said = none.awaitClosed(IrcClient.WAIT);
                assertTrue(said.stream().noneMatch(l -> l.contains(" 001 ")), said.toString());
                assertTrue(said.get(said.size() - 1).startsWith("ERROR"), said.toString());
            }
            try (IrcClient sasl = new IrcClient(daemon.port(), "alice")) {
                sasl.registerWithSasl("correct horse battery");
            }
            // added while the daemon runs: the store is re-read when it changes
            assertEquals(0, user("another long secret", "add", "carol").exitValue());
            try (IrcClient carol = new IrcClient(daemon.port(), "carol")) {
                carol.send("PASS :another long secret");
                carol.send("NICK carol");
                carol.send("USER carol 0 * :Carol");
                carol.expect(l -> l.contains(" 001 carol "));
            }
        }
        assertEquals(0, user("", "del", "carol").exitValue());
        assertFalse(Files.readString(store).contains("carol:"));
    }

    @Test
    void whatAnAccountMissedIsDeliveredWhenItReconnects() throws Exception {
        assertEquals(0, user("dora's long password", "add", "dora").exitValue());
        assertEquals(0, user("eve's long password", "add", "eve").exitValue());
        try (DaemonProcess daemon = DaemonProcess.start(state, "auth=accounts", "pool_min_spare=2")) {
            try (IrcClient eve = login(daemon, "eve", "eve's long password")) {
                eve.join("#garden");
                try (IrcClient dora = login(daemon, "dora", "dora's long password")) {
                    dora.join("#garden");
                    dora.send("QUIT :off to the garden");
                    dora.awaitClosed(IrcClient.WAIT);
                }
                eve.expect(l -> l.startsWith(":dora!") && l.contains(" QUIT "));
                eve.send("PRIVMSG dora :call me when you are back");
                eve.expect(l -> l.contains(" 301 eve dora ") && l.contains("delivered when dora connects"));
                eve.send("PRIVMSG #garden :the roses are out");
            }
            try (IrcClient dora = login(daemon, "dora", "dora's long password")) {
                // rejoined, then told, then given what was said: delivered late, so the text
                // carries when it was sent ("[2026-... UTC] call me ...")
                dora.expect(l -> l.startsWith(":dora!") && l.endsWith(" JOIN #garden"));
                dora.expect(l -> l.contains("NOTICE dora :2 messages") && l.contains("while you were away"));
                dora.expect(l -> l.startsWith(":eve!") && l.contains("PRIVMSG dora :") && l.endsWith("call me when you are back"));
                dora.expect(l -> l.startsWith(":eve!") && l.contains("PRIVMSG #garden :") && l.endsWith("the roses are out"));
            }
        }
    }

    private static IrcClient login(DaemonProcess daemon, String nick, String password) throws IOException {
        IrcClient c = new IrcClient(daemon.port(), nick);
        c.send("PASS :" + password);
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :" + nick);
        c.expect(l -> l.contains(" 001 " + nick + " "));
        return c;
    }

    private Process user(String stdin, String... args) throws IOException {
        return DaemonProcess.userCommand(state, stdin, args);
    }
}
