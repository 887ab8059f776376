package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth = accounts end to end: the admin commands, the store on disk, PASS and SASL PLAIN. */
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
                sasl.send("CAP LS 302");
                sasl.expect(l -> l.contains("CAP * LS") && l.contains("sasl"));
                sasl.send("CAP REQ :sasl");
                sasl.expect(l -> l.contains("CAP * ACK") && l.contains("sasl"));
                sasl.send("NICK alice");
                sasl.send("USER alice 0 * :Alice");
                sasl.send("AUTHENTICATE PLAIN");
                sasl.expect(l -> l.equals("AUTHENTICATE +"));
                sasl.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(
                        "\0alice\0correct horse battery".getBytes(StandardCharsets.UTF_8)));
                sasl.expect(l -> l.contains(" 903 "));
                sasl.send("CAP END");
                sasl.expect(l -> l.contains(" 001 alice "));
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

    /** Runs {@code forkchatd -c state_dir=... user ARGS}, with {@code stdin} as its standard input. */
    private Process user(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = DaemonProcess.javaCommand("forkchat.daemon.Forkchatd");
        cmd.addAll(List.of("-c", "state_dir=" + state, "user"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }
}
