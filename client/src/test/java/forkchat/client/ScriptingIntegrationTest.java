package forkchat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.support.ClientProcess;
import forkchat.client.support.SharedDaemon;
import forkchat.daemon.DaemonProcess;
import forkchat.daemon.IrcClient;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code forkchat send} and {@code forkchat tail} as real processes, as a script would run them. */
@ExtendWith(SharedDaemon.class)
class ScriptingIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TIME = "\\d\\d:\\d\\d:\\d\\d ";

    @TempDir
    Path config;
    private String server;
    private int port;

    @BeforeEach
    void daemon(DaemonProcess daemon) {
        port = daemon.port();
        server = "127.0.0.1:" + port;
    }

    @Test
    void sendDeliversItsArgumentsAsOneMessage() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice7")) {
            alice.join("#deploys");
            try (ClientProcess send = ClientProcess.start(config,
                    List.of("send", "--server", server, "--nick", "deploybot", "--channel", "deploys", "release", "1.2", "is", "out"))) {
                assertEquals(0, send.awaitExit(WAIT), "stderr: " + send.stderr());
                assertEquals("", send.stderr());
            }
            alice.expect(l -> l.startsWith(":deploybot!") && l.endsWith("PRIVMSG #deploys :release 1.2 is out"));
            alice.expect(l -> l.startsWith(":deploybot!") && l.contains("QUIT"));
        }
    }

    @Test
    void sendDeliversEveryLineOfStandardInputInOrder() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice8")) {
            alice.join("#logs");
            try (ClientProcess send = ClientProcess.start(config,
                    List.of("send", "--server", server, "--nick", "logbot", "--channel", "#logs", "--to", "alice8"))) {
                send.feed("first line\nsecond line\n\nthird line ✓\n");
                assertEquals(0, send.awaitExit(WAIT), "stderr: " + send.stderr());
            }
            for (String text : List.of("first line", "second line", "third line ✓")) {
                alice.expect(l -> l.startsWith(":logbot!") && l.endsWith("PRIVMSG #logs :" + text));
                alice.expect(l -> l.startsWith(":logbot!") && l.endsWith("PRIVMSG alice8 :" + text));
            }
            assertTrue(alice.received().stream().noneMatch(l -> l.endsWith(":")), "the empty line is not sent");
        }
    }

    @Test
    void sendFailsLoudlyWhenTheServerIsNotThere() throws Exception {
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        try (ClientProcess send = ClientProcess.start(config,
                List.of("send", "--server", "127.0.0.1:" + closed, "--channel", "x", "hello"))) {
            assertEquals(1, send.awaitExit(WAIT));
            assertTrue(send.stderr().contains("cannot connect to 127.0.0.1:" + closed));
        }
    }

    @Test
    void tailPrintsOneLinePerMessageAndStopsQuietlyWhenItsPipeCloses() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice9")) {
            alice.join("#tailed");
            alice.send("PRIVMSG #tailed :from before");
            alice.send("PING :logged");
            alice.expect(l -> l.contains("PONG") && l.contains("logged"));
            try (ClientProcess tail = ClientProcess.start(config,
                    List.of("tail", "--server", server, "--nick", "tailer", "--channel", "tailed"))) {
                BufferedReader out = tail.stdout();
                assertTrue(readLine(out).matches(TIME + "<alice9> from before"), "history first");
                alice.expect(l -> l.startsWith(":tailer!") && l.contains("JOIN"));
                alice.send("PRIVMSG #tailed :hello tail");
                alice.send("PRIVMSG #tailed :\u0001ACTION waves\u0001");
                assertTrue(readLine(out).matches(TIME + "<alice9> hello tail"));
                assertTrue(readLine(out).matches(TIME + "\\* alice9 waves"));

                tail.process().getInputStream().close(); // the reader goes away, as `| head -3` does
                alice.send("PRIVMSG #tailed :nobody reads this");
                alice.send("PRIVMSG #tailed :nor this");
                assertEquals(0, tail.awaitExit(WAIT));
                String err = tail.stderr();
                assertFalse(err.contains("Exception"), err);
                alice.expect(l -> l.startsWith(":tailer!") && l.contains("QUIT"));
            }
        }
    }

    @Test
    void tailLeavesWithAQuitWhenTerminated() throws Exception {
        try (IrcClient alice = IrcClient.register(port, "alice10")) {
            alice.join("#term");
            try (ClientProcess tail = ClientProcess.start(config,
                    List.of("tail", "--server", server, "--nick", "tailer2", "--channel", "#term", "--no-history"))) {
                alice.expect(l -> l.startsWith(":tailer2!") && l.contains("JOIN"));
                tail.process().destroy(); // SIGTERM
                tail.awaitExit(WAIT);
                alice.expect(l -> l.startsWith(":tailer2!") && l.contains("QUIT") && l.contains("forkchat tail"));
            }
        }
    }

    private static String readLine(BufferedReader in) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("tail ended its output");
        }
        return line;
    }
}
