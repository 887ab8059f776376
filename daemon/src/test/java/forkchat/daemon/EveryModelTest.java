package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat as a user meets it, against every concurrency model: one suite, run once per model,
 * each run against one real forkchatd on a loopback port (with real worker JVMs for fork).
 * Every test uses its own nicks and channels.
 */
@ParameterizedClass(name = "model={0}")
@ValueSource(strings = {"fork", "thread", "virtual", "event"})
class EveryModelTest {

    @TempDir
    static Path state;

    static DaemonProcess daemon;

    @Parameter
    String model;

    @BeforeParameterizedClassInvocation
    static void startDaemon(String model) throws IOException {
        daemon = DaemonProcess.start(state.resolve(model), "model=" + model, "pool_min_spare=3", "pool_max_spare=6");
        assertTrue(daemon.log().stream().anyMatch(l -> l.contains("model " + model)), "the start-up log names the model");
    }

    @AfterParameterizedClassInvocation
    static void stopDaemon() {
        daemon.close();
    }

    @Test
    void threeClientsInOneChannelAllReceiveEachOthersMessages() throws IOException {
        List<IrcClient> clients = new ArrayList<>();
        try {
            for (String nick : List.of("ann", "ben", "cat")) {
                IrcClient c = IrcClient.register(daemon.port(), nick);
                c.join("#three");
                clients.add(c);
            }
            for (IrcClient from : clients) {
                from.send("PRIVMSG #three :hello from " + from.nick);
            }
            // Messages from different connections have no order between them: wait for each
            // receiver's two expected lines in whatever order the log has them.
            for (IrcClient to : clients) {
                java.util.Set<String> expected = new java.util.HashSet<>();
                for (IrcClient from : clients) {
                    if (from != to) {
                        expected.add(":" + from.nick + "!" + from.nick + "@127.0.0.1 PRIVMSG #three :hello from " + from.nick);
                    }
                }
                while (!expected.isEmpty()) {
                    expected.remove(to.expect(expected::contains));
                }
            }
        } finally {
            for (IrcClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void twoClientsChatBothWaysInAChannel() throws IOException {
        try (IrcClient alice = IrcClient.register(daemon.port(), "alice");
             IrcClient bob = IrcClient.register(daemon.port(), "bob")) {
            alice.join("#lobby");
            bob.join("#lobby");
            alice.expect(l -> l.startsWith(":bob!") && l.contains("JOIN #lobby"));

            alice.send("PRIVMSG #lobby :hello from alice");
            bob.expect(l -> l.startsWith(":alice!") && l.endsWith("PRIVMSG #lobby :hello from alice"));
            bob.send("PRIVMSG #lobby :hi alice, bob here");
            alice.expect(l -> l.startsWith(":bob!") && l.endsWith("PRIVMSG #lobby :hi alice, bob here"));
        }
    }

    @Test
    void privateMessagesReachOnlyTheirTarget() throws IOException {
        try (IrcClient carol = IrcClient.register(daemon.port(), "carol");
             IrcClient dave = IrcClient.register(daemon.port(), "dave");
             IrcClient eve = IrcClient.register(daemon.port(), "eve")) {
            carol.send("PRIVMSG dave :just between us");
            dave.expect(l -> l.startsWith(":carol!") && l.endsWith("PRIVMSG dave :just between us"));
            dave.send("NOTICE carol :noted");
            carol.expect(l -> l.startsWith(":dave!") && l.endsWith("NOTICE carol :noted"));
            // eve is told nothing: a PING round trip after both messages proves nothing is in flight
            eve.send("PING :sync");
            eve.expect(l -> l.contains("PONG") && l.endsWith("sync"));
            assertTrue(eve.received().stream().noneMatch(l -> l.contains("just between us") || l.contains("noted")));
            carol.send("PRIVMSG nobody-here :hello?");
            carol.expect(l -> l.contains(" 401 carol nobody-here "));
        }
    }

    @Test
    void aNickHeldByAnotherClientIsRefusedWith433() throws IOException {
        try (IrcClient first = IrcClient.register(daemon.port(), "frank");
             IrcClient second = new IrcClient(daemon.port(), "frank")) {
            second.send("NICK FRANK");
            second.send("USER f 0 * :impostor");
            second.expect(l -> l.contains(" 433 ") && l.contains("FRANK"));
            second.send("NICK frank2");
            second.expect(l -> l.contains(" 001 frank2 "));
            second.send("NICK frank");
            second.expect(l -> l.contains(" 433 frank2 frank "));
            first.send("PING :still-here");
            first.expect(l -> l.endsWith("still-here"));
        }
    }

    @Test
    void presenceIsSeenByOtherClients() throws IOException {
        try (IrcClient gina = IrcClient.register(daemon.port(), "gina");
             IrcClient hank = IrcClient.register(daemon.port(), "hank")) {
            gina.join("#presence");
            hank.join("#presence");
            gina.expect(l -> l.startsWith(":hank!") && l.contains("JOIN #presence"));
            String names = hank.received().stream().filter(l -> l.contains(" 353 hank ")).findFirst().orElseThrow();
            assertTrue(names.contains("gina") && names.contains("hank"), names);

            hank.send("NICK hank_");
            gina.expect(l -> l.startsWith(":hank!") && l.contains("NICK") && l.endsWith("hank_"));
            hank.send("PART #presence :bye for now");
            gina.expect(l -> l.startsWith(":hank_!") && l.contains("PART #presence") && l.endsWith("bye for now"));
            hank.join("#presence");
            gina.expect(l -> l.startsWith(":hank_!") && l.contains("JOIN #presence"));
            hank.send("QUIT :off to lunch");
            hank.awaitClosed(IrcClient.WAIT);
            gina.expect(l -> l.startsWith(":hank_!") && l.contains("QUIT") && l.contains("off to lunch"));
        }
    }

    @Test
    void anOverlongLineGets417AndTheConnectionStays() throws IOException {
        try (IrcClient nora = IrcClient.register(daemon.port(), "nora")) {
            nora.send("PRIVMSG #nowhere :" + "x".repeat(600));
            nora.expect(l -> l.contains(" 417 "));
            nora.send("PING :alive");
            nora.expect(l -> l.contains("PONG") && l.endsWith("alive"));
        }
    }

    @Test
    void unknownCommandsGet421AndGarbageBytesDoNotHurt() throws IOException {
        try (IrcClient oscar = IrcClient.register(daemon.port(), "oscar")) {
            oscar.send("FROBNICATE now");
            oscar.expect(l -> l.contains(" 421 oscar FROBNICATE "));
            oscar.sendRaw(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\r', '\n', (byte) 0xc3, '\r', '\n'});
            oscar.sendRaw("PRIVMSG oscar :caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1));
            oscar.send("PING :after-garbage");
            oscar.expect(l -> l.endsWith("after-garbage"));
        }
    }

    @Test
    void registrationIsRequiredBeforeChatting() throws IOException {
        try (IrcClient early = new IrcClient(daemon.port(), "early")) {
            early.send("JOIN #x");
            early.expect(l -> l.contains(" 451 "));
            early.send("PING :pre");
            early.expect(l -> l.endsWith("pre"));
        }
    }

    /**
     * How a client gets a flow of control, seen from outside: a worker JVM each for fork and no
     * child process at all for the others; inside the supervisor, two more threads per client
     * for thread, a bounded set of carriers for virtual, nothing more for event.
     */
    @Test
    void eachModelGivesAClientTheFlowOfControlItPromises() throws IOException {
        int before = threads(daemon.pid());
        int n = 10;
        List<IrcClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                IrcClient c = IrcClient.register(daemon.port(), "flow" + i);
                c.join("#flow");
                clients.add(c);
            }
            clients.get(0).send("PRIVMSG #flow :everyone wakes up");
            for (IrcClient c : clients.subList(1, n)) {
                c.expect(l -> l.endsWith("everyone wakes up"));
            }
            int added = threads(daemon.pid()) - before;
            List<ProcessHandle> children = daemon.workers();
            switch (model) {
                case "fork" -> assertTrue(children.size() >= n, "a worker JVM per client: " + children.size());
                case "thread" -> {
                    assertEquals(List.of(), children, "no child process");
                    assertTrue(added >= 2 * n, "two platform threads per client, got " + added);
                }
                case "virtual" -> {
                    assertEquals(List.of(), children, "no child process");
                    int cpus = Runtime.getRuntime().availableProcessors();
                    assertTrue(added <= cpus + 4, "a handful of carrier threads, got " + added + " more");
                }
                case "event" -> {
                    assertEquals(List.of(), children, "no child process");
                    assertTrue(added <= 2, "one loop for everyone, got " + added + " more threads");
                }
                default -> throw new AssertionError(model);
            }
        } finally {
            for (IrcClient c : clients) {
                c.close();
            }
        }
    }

    private static int threads(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return (int) tasks.count();
        }
    }
}
