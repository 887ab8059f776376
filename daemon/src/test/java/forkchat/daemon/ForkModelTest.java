package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork model end to end: one real forkchatd with real worker JVMs on a loopback port, real
 * IRC connections. The daemon is shared by the tests of this class; each test uses its own
 * nicks and channels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForkModelTest {

    @TempDir
    Path state;

    DaemonProcess daemon;

    @BeforeAll
    void startDaemon() throws IOException {
        daemon = DaemonProcess.start(state, "pool_min_spare=3", "pool_max_spare=6");
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
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
    void aNickHeldInAnotherWorkerIsRefusedWith433() throws IOException {
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
    void presenceIsSeenAcrossWorkers() throws IOException {
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
    void eachClientIsHeldByItsOwnWorkerInTheSupervisorsProcessGroup() throws IOException {
        try (IrcClient ivy = IrcClient.register(daemon.port(), "ivy");
             IrcClient jack = IrcClient.register(daemon.port(), "jack")) {
            long ivyOwner = ownerOf(ivy);
            long jackOwner = ownerOf(jack);
            assertNotEquals(ivyOwner, jackOwner, "two clients, two worker JVMs");
            long inode = ProcFs.serverSocketInode(daemon.port(), ivy.localPort());
            assertFalse(ProcFs.holdsSocket(daemon.pid(), inode), "the supervisor closed its copy of the socket");
            long pgid = ProcFs.processGroup(daemon.pid());
            assertEquals(daemon.pid(), pgid, "the supervisor leads its own process group");
            assertEquals(pgid, ProcFs.processGroup(ivyOwner));
            assertEquals(pgid, ProcFs.processGroup(jackOwner));
        }
    }

    @Test
    void aKilledWorkerClosesOnlyItsClientAndOthersSeeItsQuit() throws Exception {
        try (IrcClient kim = IrcClient.register(daemon.port(), "kim");
             IrcClient leo = IrcClient.register(daemon.port(), "leo");
             IrcClient mia = IrcClient.register(daemon.port(), "mia")) {
            for (IrcClient c : List.of(kim, leo, mia)) {
                c.join("#crash");
            }
            long kimWorker = ownerOf(kim);
            ProcessHandle.of(kimWorker).orElseThrow().destroyForcibly();

            kim.awaitClosed(IrcClient.WAIT);
            leo.expect(l -> l.startsWith(":kim!") && l.contains("QUIT") && l.contains("SIGKILL"));
            mia.expect(l -> l.startsWith(":kim!") && l.contains("QUIT"));
            leo.send("PRIVMSG #crash :still talking");
            mia.expect(l -> l.startsWith(":leo!") && l.endsWith("still talking"));
            assertTrue(daemon.process().isAlive());
            // the nick is free again
            try (IrcClient kim2 = IrcClient.register(daemon.port(), "kim")) {
                kim2.send("PING :x");
                kim2.expect(l -> l.endsWith(":x") || l.endsWith(" x"));
            }
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

    private long ownerOf(IrcClient client) throws IOException {
        long inode = ProcFs.serverSocketInode(daemon.port(), client.localPort());
        assertNotEquals(-1, inode, "the server side of the client's connection is in /proc/net/tcp");
        List<Long> owners = daemon.workers().stream().map(ProcessHandle::pid)
                .filter(pid -> ProcFs.holdsSocket(pid, inode)).toList();
        assertEquals(1, owners.size(), "exactly one worker holds the client's socket: " + owners);
        return owners.get(0);
    }
}
