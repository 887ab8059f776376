package forkchat.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.support.ClientProcess;
import forkchat.client.support.SharedDaemon;
import forkchat.client.support.Tmux;
import forkchat.daemon.DaemonProcess;
import forkchat.daemon.IrcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive client in a real pseudo-terminal (tmux), driven by keystrokes and read off the
 * screen, with a raw IRC client as the other person: a message arrives above what the user is
 * typing, what the user types arrives, /msg is private, Tab completes, Ctrl-D leaves with a QUIT.
 */
@ExtendWith(SharedDaemon.class)
class TerminalEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void chatInARealTerminal(DaemonProcess daemon) throws Exception {
        Assumptions.assumeTrue(Tmux.available(), "tmux is not installed: the pseudo-terminal test needs it");
        int port = daemon.port();
        Path script = dir.resolve("forkchat.sh");
        String command = ClientProcess.command(List.of("--server", "127.0.0.1:" + port, "--nick", "carol11", "--channel", "#tty"))
                .stream().map(TerminalEndToEndTest::quote).collect(Collectors.joining(" "));
        Files.writeString(script, "export XDG_CONFIG_HOME=" + quote(dir.toString()) + "\nunset NO_COLOR FORKCHAT_PASSWORD\n"
                + command + "\necho \"EXITED $?\"\nsleep 60\n");
        try (IrcClient alice = IrcClient.register(port, "alice11");
             Tmux tmux = new Tmux("forkchat-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime())) {
            alice.join("#tty");
            tmux.start(120, 30, "bash " + quote(script.toString()));
            tmux.await(s -> s.contains("you joined #tty") && s.contains("[carol11] #tty>"), WAIT, "the join and the prompt");
            alice.expect(l -> l.startsWith(":carol11!") && l.contains("JOIN #tty"));

            alice.send("PRIVMSG #tty :hello from alice");
            tmux.await(s -> s.contains("<alice11> hello from alice"), WAIT, "alice's message");

            tmux.type("hi alice, from the terminal");
            tmux.press("Enter");
            alice.expect(l -> l.startsWith(":carol11!") && l.endsWith("PRIVMSG #tty :hi alice, from the terminal"));
            tmux.await(s -> s.contains("<carol11> hi alice, from the terminal"), WAIT, "the own message");

            tmux.type("half typed");
            alice.send("PRIVMSG #tty :interrupting you");
            String screen = tmux.await(s -> s.contains("<alice11> interrupting you"), WAIT, "a message while typing");
            assertTrue(lastLine(screen).endsWith("#tty> half typed"), "the input line is intact:\n" + screen);
            tmux.press("C-u");

            tmux.type("/msg alice11 just for you");
            tmux.press("Enter");
            alice.expect(l -> l.startsWith(":carol11!") && l.endsWith("PRIVMSG alice11 :just for you"));

            tmux.type("/swi");
            tmux.press("Tab");
            tmux.await(s -> lastLine(s).endsWith("#tty> /switch"), WAIT, "the completed command");
            tmux.press("C-u");
            tmux.type("ali");
            tmux.press("Tab");
            tmux.await(s -> lastLine(s).endsWith("#tty> alice11:"), WAIT, "the completed nick");
            tmux.press("C-u");

            tmux.press("C-d");
            alice.expect(l -> l.startsWith(":carol11!") && l.contains("QUIT"));
            tmux.await(s -> s.contains("EXITED 0"), WAIT, "the client's exit");
        }
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
